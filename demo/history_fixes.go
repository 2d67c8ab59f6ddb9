package demo

import (
	"strings"
	"time"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// fixPlan is what a demo fix record says was done.
type fixPlan struct {
	action        string
	calls         []fix.Call
	before, after map[string]any
	undoable      bool
}

// planFor returns the fix a policy's violation would get, as the fix
// actions describe it; false when the policy has no demo fix.
func planFor(v *rules.Violation) (fixPlan, bool) {
	id := assetTail(v.AssetID)
	call := func(svc, op string, params map[string]any) []fix.Call {
		return []fix.Call{{Service: svc, Op: op, Params: params}}
	}
	switch v.PolicyID {
	case "s3-bucket-public-access-block", "s3-bucket-public-read", "s3-bucket-public-write":
		on := map[string]any{"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}
		return fixPlan{"s3-block-public-access", call("s3", "PutPublicAccessBlock", map[string]any{"Bucket": id, "PublicAccessBlockConfiguration": on}),
			map[string]any{"public_access_block": map[string]any{"configured": false}},
			map[string]any{"public_access_block": map[string]any{"configured": true, "block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}}, true}, true
	case "s3-bucket-versioning":
		return fixPlan{"s3-enable-versioning", call("s3", "PutBucketVersioning", map[string]any{"Bucket": id, "VersioningConfiguration": map[string]any{"Status": "Enabled"}}),
			map[string]any{"versioning": map[string]any{"status": ""}}, map[string]any{"versioning": map[string]any{"status": "Enabled"}}, true}, true
	case "ec2-instance-imdsv2":
		return fixPlan{"ec2-require-imdsv2", call("ec2", "ModifyInstanceMetadataOptions", map[string]any{"InstanceId": id, "HttpTokens": "required", "HttpEndpoint": "enabled"}),
			map[string]any{"imds": map[string]any{"http_tokens": "optional"}}, map[string]any{"imds": map[string]any{"http_tokens": "required"}}, true}, true
	case "ec2-sg-open-ssh", "ec2-sg-open-rdp":
		port := int64(22)
		if v.PolicyID == "ec2-sg-open-rdp" {
			port = 3389
		}
		perm := map[string]any{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": []any{map[string]any{"CidrIp": "0.0.0.0/0"}}}
		return fixPlan{"ec2-revoke-public-ingress", call("ec2", "RevokeSecurityGroupIngress", map[string]any{"GroupId": id, "IpPermissions": []any{perm}}),
			map[string]any{"ingress": []any{rule("tcp", port, port, "0.0.0.0/0", "", "")}}, map[string]any{"ingress": []any{}}, true}, true
	case "kms-key-rotation":
		return fixPlan{"kms-enable-rotation", call("kms", "EnableKeyRotation", map[string]any{"KeyId": id}),
			map[string]any{"rotation_enabled": false}, map[string]any{"rotation_enabled": true}, true}, true
	case "ec2-snapshot-public":
		return fixPlan{"ec2-snapshot-private", call("ec2", "ModifySnapshotAttribute", map[string]any{"SnapshotId": id, "Attribute": "createVolumePermission", "OperationType": "remove", "GroupNames": []any{"all"}}),
			map[string]any{"public": true}, map[string]any{"public": false}, true}, true
	case "ec2-eip-unattached":
		return fixPlan{"ec2-release-eip", call("ec2", "ReleaseAddress", map[string]any{"AllocationId": id}),
			map[string]any{"attached": false}, map[string]any{}, false}, true
	case "rds-public":
		return fixPlan{"rds-disable-public-access", call("rds", "ModifyDBInstance", map[string]any{"DBInstanceIdentifier": id, "PubliclyAccessible": false, "ApplyImmediately": true}),
			map[string]any{"publicly_accessible": true}, map[string]any{"publicly_accessible": false}, true}, true
	case "cloudtrail-log-validation":
		return fixPlan{"cloudtrail-enable-log-validation", call("cloudtrail", "UpdateTrail", map[string]any{"Name": v.AssetID, "EnableLogFileValidation": true}),
			map[string]any{"log_file_validation": false}, map[string]any{"log_file_validation": true}, true}, true
	}
	return fixPlan{}, false
}

// failedAndUndoneFixes records fix attempts on current violations: a few
// that failed (the violation stays open) and one applied then undone.
func (h *hist) failedAndUndoneFixes(active []*rules.Violation) error {
	failedMsgs := []string{
		"https response error StatusCode: 403, api error AccessDenied: Access Denied",
		"https response error StatusCode: 400, api error Throttling: Rate exceeded",
		"verification failed: the resource still fails the policy after the change",
	}
	failed, undone := 0, false
	for _, v := range active {
		if v.Status != rules.StatusOpen || v.OpenedAt.After(h.now.AddDate(0, 0, -3)) {
			continue
		}
		p, ok := planFor(v)
		if !ok {
			continue
		}
		at := h.pastScan(1, h.daysSince(v.OpenedAt)-1).Add(3 * time.Hour)
		rec := &fix.Record{
			ID: h.recordID(at), Action: p.action, ViolationID: v.ID, PolicyID: v.PolicyID, AssetID: v.AssetID,
			Account: v.Account, Region: v.Region, By: pick(h.r, authors()), At: at, Calls: p.calls, Before: p.before, Undoable: p.undoable,
		}
		switch {
		case failed < 3:
			rec.Status, rec.Error = fix.RecordFailed, failedMsgs[failed]
			if failed < 2 {
				c := p.calls[0]
				svc := map[string]string{"s3": "S3", "ec2": "EC2", "rds": "RDS", "kms": "KMS", "cloudtrail": "CloudTrail"}[c.Service]
				rec.Error = "operation error " + svc + ": " + c.Op + ", " + rec.Error
			}
			failed++
		case !undone && p.undoable:
			undone = true
			undoAt := at.Add(40 * time.Minute)
			undo := &fix.Record{
				ID: h.recordID(undoAt), Action: p.action, ViolationID: v.ID, PolicyID: v.PolicyID, AssetID: v.AssetID,
				Account: v.Account, Region: v.Region, By: rec.By, At: undoAt, Status: fix.RecordApplied,
				Calls: p.calls, Before: p.after, After: p.before, UndoOf: rec.ID,
			}
			rec.Status, rec.After, rec.UndoneBy = fix.RecordUndone, p.after, undo.ID
			*v = rules.Close(*v, "fixed by vigil "+rec.ID, "vigil fix "+rec.ID, at)
			v.History = append(v.History, rules.Transition{At: undoAt, From: rules.StatusClosed, To: rules.StatusOpen, By: "vigil fix " + undo.ID, Reason: "fix " + rec.ID + " undone: the service team needs the old setting"})
			v.Status, v.ClosedAt, v.Reason, v.UpdatedAt, v.OpenedAt = rules.StatusOpen, nil, "", undoAt, undoAt
			if err := h.store.PutFixRecord(undo); err != nil {
				return err
			}
		default:
			continue
		}
		if err := h.store.PutFixRecord(rec); err != nil {
			return err
		}
		if failed == 3 && undone {
			break
		}
	}
	return nil
}

// exceptions adds individual exceptions on a few open violations (two
// expiring within a week, one already expired) and sticky exceptions for
// the dev account's tagging and the public gateways, exempting what they
// cover now.
func (h *hist) exceptions(active []*rules.Violation) error {
	reasons := []string{
		"vendor appliance; replacement scheduled for next quarter",
		"legacy batch host, decommissioned after the Q1 migration",
		"accepted risk: isolated network, reviewed by security",
		"waiting on upstream fix; compensating WAF rule in place",
		"migration in progress, tracked in OPS-2231",
		"owner confirmed; remediation planned for the next sprint",
	}
	expiries := []time.Duration{2 * 24 * time.Hour, 5 * 24 * time.Hour, -3 * 24 * time.Hour, 30 * 24 * time.Hour, 60 * 24 * time.Hour, 120 * 24 * time.Hour}
	n := 0
	for _, v := range active {
		if n == len(expiries) || v.Status != rules.StatusOpen || h.r.IntN(6) != 0 {
			continue
		}
		created := h.pastScan(1, h.daysSince(v.OpenedAt)-1).Add(2 * time.Hour)
		expires := h.now.Add(expiries[n]).Truncate(time.Hour)
		if !expires.After(created) {
			continue
		}
		e := &rules.Exception{
			ID: "exc-" + hexN(h.r.Uint64(), 10), Kind: rules.ExceptionIndividual, ViolationID: v.ID, PolicyIDs: []string{v.PolicyID},
			Reason: reasons[n], Author: pick(h.r, authors()), Created: created, Expires: expires,
		}
		h.exempt(v, e, created)
		if !e.Active(h.now) {
			v.History = append(v.History, rules.Transition{At: h.pastScan(1, 2), From: rules.StatusExempt, To: rules.StatusOpen, By: "scan",
				Reason: "exception " + e.ID + " no longer applies"})
			v.Status, v.ExceptionID, v.Reason, v.UpdatedAt = rules.StatusOpen, "", "", v.History[len(v.History)-1].At
		}
		if err := h.putException(e); err != nil {
			return err
		}
		n++
	}
	sticky := []*rules.Exception{
		{Kind: rules.ExceptionSticky, PolicyIDs: []string{"tag-required"},
			Criteria: &groups.Group{Name: "dev-sandbox", Match: map[string][]string{"account": {"333333333333"}, "tags.Environment": {"dev"}}},
			Reason:   "sandbox account: tagging enforced from the January clean-up", Expires: h.now.Add(6 * 24 * time.Hour).Truncate(time.Hour)},
		{Kind: rules.ExceptionSticky, PolicyIDs: []string{"ec2-instance-public-ip"},
			Criteria: &groups.Group{Name: "public-gateways", Types: []string{"aws.ec2.instance"}, Match: map[string][]string{"tags.Application": {"gateway"}}},
			Reason:   "edge gateways need public addresses; fronted by Shield and WAF", Expires: h.now.AddDate(0, 3, 0).Truncate(time.Hour)},
	}
	for i, e := range sticky {
		e.ID, e.Author, e.Created = "exc-"+hexN(h.r.Uint64(), 10), authors()[i], h.pastScan(10, 40).Add(3*time.Hour)
		for _, v := range active {
			if v.Status != rules.StatusOpen || v.PolicyID != e.PolicyIDs[0] {
				continue
			}
			a, err := h.store.Asset(v.AssetID)
			if err != nil {
				continue // gone since the evaluation: nothing to exempt
			}
			if rules.Covers(e, v, a.Doc(), h.now) {
				h.exempt(v, e, maxTime(e.Created, v.OpenedAt.Add(time.Minute)))
			}
		}
		if err := h.putException(e); err != nil {
			return err
		}
	}
	return nil
}

// exempt moves v to exempt under e at t.
func (h *hist) exempt(v *rules.Violation, e *rules.Exception, t time.Time) {
	reason := "exception " + e.ID + ": " + e.Reason
	v.History = append(v.History, rules.Transition{At: t, From: v.Status, To: rules.StatusExempt, By: e.Author, Reason: reason})
	v.Status, v.ExceptionID, v.Reason, v.UpdatedAt = rules.StatusExempt, e.ID, reason, t
}

// putException stores an exception and its audit event.
func (h *hist) putException(e *rules.Exception) error {
	if err := h.store.PutException(e); err != nil {
		return err
	}
	target := e.ViolationID
	if e.Kind == rules.ExceptionSticky {
		target = e.Criteria.Name
	}
	return h.store.AppendAudit(db.AuditEvent{At: e.Created, By: e.Author, Action: "exception.add", Target: target,
		Detail: e.Kind + " exception " + e.ID + " for " + strings.Join(e.PolicyIDs, ",") + " until " + e.Expires.Format(time.RFC3339) + ": " + e.Reason})
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
