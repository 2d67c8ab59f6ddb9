package fix

import (
	"context"
	"errors"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vigil-sec/vigil/asset"
)

// ErrDrift is returned by Apply when the live resource no longer matches the
// plan's before-state: nothing was changed.
var ErrDrift = errors.New("resource changed since the plan was made")

// ErrNotUndoable is returned by Undo for actions that cannot be reversed.
var ErrNotUndoable = errors.New("this fix cannot be undone")

// Target is the resource a fix acts on, with credentials for its account.
type Target struct {
	Asset    *asset.Asset
	Config   aws.Config     // credentials of the asset's account; Region set to the asset's region (us-east-1 for global)
	Endpoint string         // AWS_ENDPOINT_URL when set (path-style S3, fixed s3control host)
	Params   map[string]any // the policy's params (e.g. the offending ports)
}

// Action is one kind of fix. Plan reads the live resource and changes
// nothing; Apply re-reads, returns ErrDrift when the live state no longer
// matches plan.Before, then acts and returns the after-state; Undo reverses
// an applied record where the change is reversible.
type Action interface {
	ID() string
	// Describe is one line for help and docs.
	Describe() string
	Plan(ctx context.Context, t Target) (*Plan, error)
	Apply(ctx context.Context, t Target, p *Plan) (after map[string]any, err error)
	Undo(ctx context.Context, t Target, r *Record) error
}

// Registry holds the fix actions by ID.
type Registry struct{ byID map[string]Action }

// NewRegistry builds a registry of actions.
func NewRegistry(as ...Action) *Registry {
	r := &Registry{byID: map[string]Action{}}
	for _, a := range as {
		r.byID[a.ID()] = a
	}
	return r
}

// Get returns the action with an ID.
func (r *Registry) Get(id string) (Action, bool) {
	a, ok := r.byID[id]
	return a, ok
}

// IDs lists the registered action IDs, sorted.
func (r *Registry) IDs() []string {
	out := make([]string, 0, len(r.byID))
	for id := range r.byID {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
