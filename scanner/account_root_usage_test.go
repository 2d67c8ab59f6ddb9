package scanner

import "testing"

func TestAccountRootUsageReadsTheRootRow(t *testing.T) {
	t.Parallel()
	header := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n"
	cases := []struct {
		name, report string
		known        bool
		password     string
		key1, key2   string
	}{
		{"root signed in and used key 2", header +
			"<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-25T08:15:00+01:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,true,2024-01-01T00:00:00+00:00,2026-11-20T10:00:00+00:00,us-east-1,s3,false,N/A,false,N/A\n" +
			"alice,arn:aws:iam::123456789012:user/alice,2024-01-01T00:00:00+00:00,true,2026-11-25T09:00:00+00:00,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n",
			true, "2026-11-25T07:15:00Z", "", "2026-11-20T10:00:00Z"},
		{"root never used", header +
			"<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n",
			true, "", "", ""},
		{"no root row (moto) is unknown", header +
			"alice,arn:aws:iam::123456789012:user/alice,2024-01-01T00:00:00+00:00,true,2026-11-25T09:00:00+00:00,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n",
			false, "", "", ""},
		{"empty report is unknown", "", false, "", "", ""},
		{"report without the usage columns is unknown", "user,arn\n<root_account>,arn:aws:iam::123456789012:root\n", false, "", "", ""},
	}
	for _, c := range cases {
		root := map[string]any{}
		if err := accountRootUsage([]byte(c.report), root); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := map[string]any{"usage_known": c.known, "password_last_used": c.password, "access_key_1_last_used": c.key1, "access_key_2_last_used": c.key2}
		for k, v := range want {
			if root[k] != v {
				t.Errorf("%s: root.%s = %#v, want %#v", c.name, k, root[k], v)
			}
		}
	}
}
