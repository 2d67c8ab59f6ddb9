package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/vigil-sec/vigil/scanner"
)

// The group URIs that make a grant public.
const (
	allUsersURI  = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsersURI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

// aclGrant is one bucket ACL grant as a fix state keeps it.
type aclGrant struct {
	Type       string `json:"type"`
	ID         string `json:"id,omitempty"`
	URI        string `json:"uri,omitempty"`
	Email      string `json:"email,omitempty"`
	Permission string `json:"permission"`
}

func (g aclGrant) public() bool { return g.URI == allUsersURI || g.URI == authUsersURI }

// s3ACLState is a bucket's ACL.
type s3ACLState struct {
	Bucket string     `json:"bucket"`
	Owner  string     `json:"owner"`
	Grants []aclGrant `json:"grants"`
}

// S3RemovePublicACL removes the AllUsers and AuthenticatedUsers grants from a
// bucket ACL, keeping the owner and every other grant.
type S3RemovePublicACL struct{}

// NewS3RemovePublicACL returns the s3-remove-public-acl action.
func NewS3RemovePublicACL() Action {
	return newAction(meta{id: "s3-remove-public-acl", undoable: true,
		describe: "remove the AllUsers/AuthenticatedUsers grants from the bucket ACL, keeping the owner and other grants"}, S3RemovePublicACL{})
}

func (S3RemovePublicACL) read(ctx context.Context, t Target) (map[string]any, error) {
	bucket, err := attr(t, "bucket")
	if err != nil {
		return nil, err
	}
	out, err := scanner.NewS3(t.Config, t.Endpoint).GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: &bucket})
	if err != nil {
		return nil, fmt.Errorf("get bucket acl: %w", err)
	}
	st := s3ACLState{Bucket: bucket, Grants: []aclGrant{}}
	if out.Owner != nil {
		st.Owner = aws.ToString(out.Owner.ID)
	}
	for _, g := range out.Grants {
		if g.Grantee == nil {
			continue
		}
		st.Grants = append(st.Grants, aclGrant{Type: string(g.Grantee.Type), ID: aws.ToString(g.Grantee.ID),
			URI: aws.ToString(g.Grantee.URI), Email: aws.ToString(g.Grantee.EmailAddress), Permission: string(g.Permission)})
	}
	return normalize(st), nil
}

// kept returns the grants that stay.
func (st s3ACLState) kept() []aclGrant {
	out := []aclGrant{}
	for _, g := range st.Grants {
		if !g.public() {
			out = append(out, g)
		}
	}
	return out
}

func (S3RemovePublicACL) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st s3ACLState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	kept := st.kept()
	removed := len(st.Grants) - len(kept)
	if removed == 0 {
		return nil, "bucket " + st.Bucket + " ACL grants nothing to the public", true, nil
	}
	return []Call{call("s3", "PutBucketAcl", map[string]any{"Bucket": st.Bucket,
			"AccessControlPolicy": map[string]any{"Owner": map[string]any{"ID": st.Owner}, "Grants": normalize(map[string]any{"g": kept})["g"]}})},
		fmt.Sprintf("remove %d public grant(s) from the ACL of bucket %s", removed, st.Bucket), false, nil
}

func (a S3RemovePublicACL) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st s3ACLState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := putACL(ctx, t, st.Bucket, st.Owner, st.kept()); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (S3RemovePublicACL) undo(ctx context.Context, t Target, r *Record) error {
	var st s3ACLState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.Bucket == "" {
		return fmt.Errorf("record %s has no bucket in its before-state", r.ID)
	}
	return putACL(ctx, t, st.Bucket, st.Owner, st.Grants)
}

func putACL(ctx context.Context, t Target, bucket, owner string, grants []aclGrant) error {
	pol := &s3types.AccessControlPolicy{Owner: &s3types.Owner{ID: aws.String(owner)}}
	for _, g := range grants {
		ge := &s3types.Grantee{Type: s3types.Type(g.Type)}
		if g.ID != "" {
			ge.ID = aws.String(g.ID)
		}
		if g.URI != "" {
			ge.URI = aws.String(g.URI)
		}
		if g.Email != "" {
			ge.EmailAddress = aws.String(g.Email)
		}
		pol.Grants = append(pol.Grants, s3types.Grant{Grantee: ge, Permission: s3types.Permission(g.Permission)})
	}
	_, err := scanner.NewS3(t.Config, t.Endpoint).PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: &bucket, AccessControlPolicy: pol})
	if err != nil {
		return fmt.Errorf("put bucket acl: %w", err)
	}
	return nil
}
