package demo

import (
	"math/rand/v2"

	"github.com/vigil-sec/vigil/asset"
)

// appsGen generates the application-service resources of issue 13's batch
// A (SQS queues, DynamoDB tables, ECR repositories) from a random stream of
// its own, so adding them left every older resource of the estate as it was.
type appsGen struct {
	g    *gen
	r    *rand.Rand
	a    *acct
	room *int // how many more assets the account's budget leaves
}

// apps adds an account's queues, tables and repositories in every region;
// b is the account's resource budget, room the most assets it may add.
func (g *gen) apps(a *acct, b float64, room int) {
	ag := appsGen{g: g, a: a, r: rand.New(rand.NewPCG(g.key^0xa995, uint64(a.idx)+1)), room: &room}
	// one of each first, so even a tiny estate has every type
	first := Regions()[0]
	ag.queues(first, 1)
	ag.tables(first, 1)
	ag.repositories(first, 1)
	for ri, region := range Regions() {
		w := [4]float64{0.46, 0.2, 0.26, 0.08}[ri]
		ag.queues(region, ag.count(b*0.012*w))
		ag.tables(region, ag.count(b*0.01*w))
		if ri != 3 { // the smallest region holds no images
			ag.repositories(region, ag.count(b*0.008*w))
		}
	}
}

// add appends an asset while the budget leaves room.
func (ag appsGen) add(id, typ, name, region string, tags map[string]string, attrs map[string]any) {
	if *ag.room <= 0 {
		return
	}
	*ag.room--
	ag.g.add(id, typ, name, ag.a.id, region, tags, 90, attrs)
}

// count rounds x stochastically on the apps stream.
func (ag appsGen) count(x float64) int {
	n := int(x)
	if ag.r.Float64() < x-float64(n) {
		n++
	}
	return n
}

// tags are the usual tags of an application resource.
func (ag appsGen) tags(team, app string) map[string]string {
	t := map[string]string{"Application": app, "Environment": ag.a.env, "Team": team, "Owner": team + "@example.com"}
	if ag.r.IntN(10) == 0 {
		delete(t, "Owner")
	}
	return t
}

// statement is one normalised policy statement (docs/ATTRIBUTES.md).
func statement(sid, principal string, actions []any, conditions map[string]any) map[string]any {
	return map[string]any{"sid": sid, "effect": "Allow", "principals": []any{principal}, "not_principal": false,
		"actions": actions, "not_action": false, "resources": []any{"*"}, "not_resource": false, "conditions": conditions}
}

// queues adds n SQS queues: most private and encrypted; some fed by an SNS
// topic through a narrowed "*" statement; a few open to anyone.
func (ag appsGen) queues(region string, n int) {
	for i := 0; i < n; i++ {
		team, app := pick(ag.r, teams), pick(ag.r, apps)
		name := ag.a.unique(team + "-" + app + "-" + ag.a.env + "-queue")
		if ag.r.IntN(6) == 0 {
			name += ".fifo"
		}
		arn := "arn:aws:sqs:" + region + ":" + ag.a.id + ":" + name
		var policy any
		switch p := ag.r.Float64(); {
		case p < 0.12:
			policy = map[string]any{"version": "2012-10-17", "statements": []any{
				statement("owner", "arn:aws:iam::"+ag.a.id+":root", []any{"sqs:*"}, map[string]any{}),
				statement("anyone", "*", []any{"sqs:SendMessage", "sqs:ReceiveMessage"}, map[string]any{})}}
		case p < 0.45:
			topic := "arn:aws:sns:" + region + ":" + ag.a.id + ":" + team + "-events"
			policy = map[string]any{"version": "2012-10-17", "statements": []any{
				statement("sns-fanout", "*", []any{"sqs:SendMessage"}, map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": []any{topic}}})}}
		}
		kms, sse := "", true
		switch e := ag.r.Float64(); {
		case e < 0.25:
			kms, sse = "alias/aws/sqs", false
		case e < 0.33:
			sse = false
		}
		dlq := ""
		if ag.r.IntN(3) == 0 {
			dlq = arn + "-dlq"
		}
		ag.add(arn, asset.TypeSQSQueue, name, region, ag.tags(team, app), map[string]any{
			"queue_name": name, "queue_url": "https://sqs." + region + ".amazonaws.com/" + ag.a.id + "/" + name,
			"fifo": len(name) > 5 && name[len(name)-5:] == ".fifo", "kms_master_key_id": kms, "sqs_managed_sse": sse,
			"encrypted": kms != "" || sse, "policy": policy, "visibility_timeout": int64(30 * (1 + ag.r.IntN(4))),
			"message_retention_seconds": int64(345600), "dead_letter_target_arn": dlq,
			"created": ts(ag.g.now, days(30+ag.r.IntN(900))),
		})
	}
}

// tables adds n DynamoDB tables, most with point-in-time recovery.
func (ag appsGen) tables(region string, n int) {
	for i := 0; i < n; i++ {
		team, app := pick(ag.r, teams), pick(ag.r, apps)
		name := ag.a.unique(app + "-" + ag.a.env + "-" + pick(ag.r, []string{"orders", "sessions", "events", "state", "items"}))
		sse, key := "AWS_OWNED", ""
		if ag.r.IntN(3) == 0 {
			sse, key = "KMS", ag.a.keys[region]
		}
		billing := "PAY_PER_REQUEST"
		if ag.r.IntN(3) == 0 {
			billing = "PROVISIONED"
		}
		items := int64(ag.r.IntN(5_000_000))
		ag.add("arn:aws:dynamodb:"+region+":"+ag.a.id+":table/"+name, asset.TypeDynamoDBTable, name, region,
			ag.tags(team, app), map[string]any{
				"table_name": name, "table_status": "ACTIVE", "billing_mode": billing, "item_count": items,
				"size_bytes": items * int64(200+ag.r.IntN(800)), "sse_type": sse, "kms_key_arn": key,
				"pitr_enabled": ag.r.Float64() < 0.72, "deletion_protection": ag.a.env == "prod" && ag.r.IntN(2) == 0,
				"stream_enabled": ag.r.IntN(4) == 0, "creation_time": ts(ag.g.now, days(30+ag.r.IntN(1200))),
			})
	}
}

// repositories adds n ECR repositories: most scan on push and keep tags
// immutable; a few share their images with anyone.
func (ag appsGen) repositories(region string, n int) {
	for i := 0; i < n; i++ {
		team, app := pick(ag.r, teams), pick(ag.r, apps)
		name := ag.a.unique(team + "/" + app)
		var policy any
		if ag.r.IntN(12) == 0 {
			policy = map[string]any{"version": "2012-10-17", "statements": []any{
				statement("public-pull", "*", []any{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, map[string]any{})}}
		} else if ag.r.IntN(3) == 0 {
			policy = map[string]any{"version": "2012-10-17", "statements": []any{
				statement("org-pull", "*", []any{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
					map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": []any{"o-demo12345"}}})}}
		}
		mut := "IMMUTABLE"
		if ag.r.Float64() < 0.35 {
			mut = "MUTABLE"
		}
		ag.add("arn:aws:ecr:"+region+":"+ag.a.id+":repository/"+name, asset.TypeECRRepository, name, region,
			ag.tags(team, app), map[string]any{
				"repository_name": name, "repository_uri": ag.a.id + ".dkr.ecr." + region + ".amazonaws.com/" + name,
				"image_tag_mutability": mut, "scan_on_push": ag.r.Float64() < 0.7, "encryption_type": "AES256", "kms_key": "",
				"policy": policy, "created_at": ts(ag.g.now, days(30+ag.r.IntN(1000))),
			})
	}
}
