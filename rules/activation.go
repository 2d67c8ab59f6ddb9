package rules

import (
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/interpreter"

	"github.com/vigil-sec/vigil/asset"
)

// activation is the per-asset variable binding, prepared once per asset;
// only params changes from one policy to the next.
type activation struct {
	resource, params, now ref.Val
	ctx                   *evalCtx
}

// ResolveName implements interpreter.Activation.
func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "resource":
		return a.resource, true
	case "params":
		return a.params, true
	case "now":
		return a.now, true
	case ctxVar:
		return a.ctx, true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (a *activation) Parent() interpreter.Activation { return nil }

// scratch is one worker's reusable activation: the engine prepares it once
// per asset and nothing keeps it after the asset's evaluations.
type scratch struct {
	doc docVal
	ctx evalCtx
	act activation
}

// prepare points the scratch activation at a.
func (s *scratch) prepare(a *asset.Asset, rel Resolver, now ref.Val) (*docVal, *activation) {
	s.doc.reset(a)
	s.ctx = evalCtx{a: a, rel: rel}
	s.act = activation{resource: &s.doc, now: now, ctx: &s.ctx}
	return &s.doc, &s.act
}

// summaryOf is the identity part of a's summary, without the document hash
// (costly, and group matching does not need it).
func summaryOf(a *asset.Asset) asset.Summary {
	return asset.Summary{ID: a.ID, Type: a.Type, Name: a.Name, Account: a.Account, Region: a.Region, Tags: asset.NewTags(a.Tags), Source: a.Source}
}
