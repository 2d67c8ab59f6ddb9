package notify

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
)

// Digester turns the configured digests into rules, builds their messages
// and queues them in the outbox with what they announce.
type Digester struct {
	Cycle  *cycle.Cycle
	Config config.Notify
	Now    func() time.Time
}

// Rules are the configured digests of a group ("" every group): one rule
// per digest with recipients, one per owner address for to_owners.
func (g *Digester) Rules(group string) ([]Rule, error) {
	var out []Rule
	for _, d := range g.Config.Digests {
		if group != "" && d.Group != group {
			continue
		}
		if len(d.To) > 0 {
			out = append(out, toRule(d))
		}
		if d.ToOwners {
			rs, err := g.ownerRules(d)
			if err != nil {
				return nil, err
			}
			out = append(out, rs...)
		}
	}
	return out, nil
}

// toRule is the rule of a digest to its listed recipients.
func toRule(d config.Digest) Rule {
	return Rule{Key: "group:" + d.Group, Group: d.Group, To: append([]string(nil), d.To...), MinSeverity: d.MinSeverity, Every: d.Period()}
}

// ownerRules are a to_owners digest's rules, one per Owner address.
func (g *Digester) ownerRules(d config.Digest) ([]Rule, error) {
	owners, err := g.owners(d.Group)
	if err != nil {
		return nil, err
	}
	owners = inDomains(owners, d.OwnerDomains)
	out := make([]Rule, len(owners))
	for i, o := range owners {
		out[i] = Rule{Key: "group:" + d.Group + "/owner:" + o, Group: d.Group, To: []string{o}, Owner: o,
			MinSeverity: d.MinSeverity, Every: d.Period()}
	}
	return out, nil
}

// AdHoc is a digest of a group to addresses given on the command line; it
// keeps its own announcement state, apart from the configured digests.
func AdHoc(group string, to []string, minSeverity string) Rule {
	s := append([]string(nil), to...)
	sort.Strings(s)
	return Rule{Key: "group:" + group + "/to:" + strings.Join(s, ","), Group: group, To: to, MinSeverity: minSeverity}
}

// owners are the distinct Owner addresses of a group's assets.
func (g *Digester) owners(group string) ([]string, error) {
	mem, err := g.Cycle.GroupMembers(group)
	if err != nil {
		return nil, fmt.Errorf("notify.digests group %s: %w", group, err)
	}
	set := map[string]bool{}
	for _, s := range mem {
		if a := OwnerAddress(s); a != "" {
			set[a] = true
		}
	}
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	return out, nil
}

// Due are the rules whose period has passed since their last digest (or
// that never sent one). Owner digests go out together: their group's batch
// key says when, so the owners are listed only when the batch is due.
func (g *Digester) Due() ([]Rule, error) {
	now := g.Now()
	var out []Rule
	for _, d := range g.Config.Digests {
		due := func(key string) (bool, error) {
			last, ok, err := g.Cycle.Store.LastDigest(key)
			return !ok || now.Sub(last.At) >= d.Period(), err
		}
		if len(d.To) > 0 {
			r := toRule(d)
			ok, err := due(r.Key)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, r)
			}
		}
		if d.ToOwners {
			ok, err := due(ownersBatch(d.Group))
			if err != nil || !ok {
				if err != nil {
					return nil, err
				}
				continue
			}
			rs, err := g.ownerRules(d)
			if err != nil {
				return nil, err
			}
			out = append(out, rs...)
		}
	}
	return out, nil
}

// MarkBatches records that the owner digests of the given rules' groups
// went out now.
func (g *Digester) MarkBatches(rs []Rule) error {
	done := map[string]bool{}
	for _, r := range rs {
		if r.Owner == "" || done[r.Group] {
			continue
		}
		done[r.Group] = true
		if err := g.Cycle.Store.PutLastDigest(ownersBatch(r.Group), db.DigestLast{At: g.Now().UTC()}); err != nil {
			return err
		}
	}
	return nil
}

func ownersBatch(group string) string { return "group:" + group + "/owners" }

// Preview builds a rule's digest and message without storing anything.
func (g *Digester) Preview(r Rule) ([]byte, *Digest, error) {
	d, msg, _, _, err := g.build(r)
	return msg, d, err
}

// Queue builds a rule's digest and writes it to the outbox together with
// its announcements, in one transaction; Deliverer sends it.
func (g *Digester) Queue(r Rule) (*db.OutboxMessage, *Digest, error) {
	d, msg, id, header, err := g.build(r)
	if err != nil {
		return nil, nil, err
	}
	m := db.OutboxMessage{ID: id, Kind: db.OutboxEmail, Rule: r.Key, To: r.To, MessageID: header,
		Subject: d.Subject(), Body: msg, Status: db.OutboxPending, CreatedAt: d.At, NextAt: d.At}
	last := db.DigestLast{At: d.At, Overall: d.Overall, MessageID: header}
	if err := g.Cycle.Store.QueueDigest(m, r.Key, last, d.Announced()); err != nil {
		return nil, nil, err
	}
	return &m, d, nil
}

func (g *Digester) build(r Rule) (*Digest, []byte, string, string, error) {
	seen, last, ok, err := g.Cycle.Store.DigestState(r.Key)
	if err != nil {
		return nil, nil, "", "", err
	}
	now := g.Now().UTC()
	d, err := Build(g.Cycle, r, seen, last, ok, now)
	if err != nil {
		return nil, nil, "", "", err
	}
	from := FromAddress(g.Config.SMTP)
	id, header := NewMessageID(now, from)
	msg, err := Compose(d, from, r.To, header)
	if err != nil {
		return nil, nil, "", "", err
	}
	return d, msg, id, header, nil
}

// FromAddress is notify.smtp.from, or vigil@localhost when unset (a
// dry run without SMTP settings).
func FromAddress(s config.NotifySMTP) string {
	if s.From == "" {
		return "vigil@localhost"
	}
	return s.From
}

// inDomains keeps the addresses in one of the domains (all when none).
func inDomains(addrs, domains []string) []string {
	if len(domains) == 0 {
		return addrs
	}
	var out []string
	for _, a := range addrs {
		_, dom, _ := strings.Cut(a, "@")
		for _, d := range domains {
			if strings.EqualFold(dom, strings.TrimPrefix(d, "@")) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}
