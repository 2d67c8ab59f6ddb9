package scanner

import (
	"context"
	"testing"
)

// moto 5.2.1 has no IAM Access Analyzer: these tests serve canned
// ListAnalyzers answers (GET /analyzer) from a local server. They follow the
// API's documented restJson1 shape; they were written by hand, not captured
// from AWS.

func TestAccessAnalyzersFromRecordedResponse(t *testing.T) {
	t.Parallel()
	endpoint := recordedProxy(t, "", recordedResponse{"GET", "/analyzer", `{"analyzers":[
		{"arn":"arn:aws:access-analyzer:us-east-1:123456789012:analyzer/account-analyzer","name":"account-analyzer","type":"ACCOUNT","status":"ACTIVE","createdAt":"2026-01-05T10:00:00Z","tags":{"env":"prod"}},
		{"arn":"arn:aws:access-analyzer:us-east-1:123456789012:analyzer/old","name":"old","type":"ACCOUNT","status":"DISABLED","createdAt":"2025-03-01T08:30:00Z","tags":{}}]}`})
	s := docsThrough(recordedSession(t, "us-east-1"), endpoint)
	got := docsCollect(t, NewAccessAnalyzers(), s)
	if len(got) != 2 {
		t.Fatalf("%d analyzers, want 2: %v", len(got), got)
	}
	active := got["arn:aws:access-analyzer:us-east-1:123456789012:analyzer/account-analyzer"]
	old := got["arn:aws:access-analyzer:us-east-1:123456789012:analyzer/old"]
	if active.ID == "" || old.ID == "" {
		t.Fatalf("analyzers not under their ARNs: %v", got)
	}
	docsWant(t, active, "exists", true)
	docsWant(t, active, "status", "ACTIVE")
	docsWant(t, active, "analyzer_type", "ACCOUNT")
	docsWant(t, active, "created_at", "2026-01-05T10:00:00Z")
	docsWant(t, old, "status", "DISABLED")
	if active.Name != "account-analyzer" || active.Tags["env"] != "prod" {
		t.Errorf("analyzer name %q tags %v", active.Name, active.Tags)
	}
}

func TestAccessAnalyzersRegionWithoutAnalyzerGivesPlaceholder(t *testing.T) {
	t.Parallel()
	endpoint := recordedProxy(t, "", recordedResponse{"GET", "/analyzer", `{"analyzers":[]}`})
	s := docsThrough(recordedSession(t, "eu-west-1"), endpoint)
	got := docsCollect(t, NewAccessAnalyzers(), s)
	p, found := got["arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/none"]
	if len(got) != 1 || !found {
		t.Fatalf("analyzers %v, want the one placeholder", got)
	}
	docsWant(t, p, "exists", false)
	docsWant(t, p, "status", "")
}

func TestAccessAnalyzersAgainstMotoWhichLacksTheService(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	got := docsCollect(t, NewAccessAnalyzers(), s)
	if len(got) != 0 {
		t.Errorf("an emulator without Access Analyzer gave %v, want no assets (and no failed unit)", got)
	}
	noEndpoint := *s
	noEndpoint.Endpoint = ""
	if _, err := NewAccessAnalyzers().Collect(context.Background(), &noEndpoint); err == nil {
		t.Error("an error without a code and without a custom endpoint passed as success; it must fail the unit")
	}
}
