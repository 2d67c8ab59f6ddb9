package scanner

import (
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

func TestRDSCollectorsReadWhatPoliciesCheck(t *testing.T) {
	env := newRegionalEnv(t)
	r := &Runner{Registry: NewRegistry(NewRDSInstances(), NewRDSSnapshots()), Regions: fxRegions}
	_, assets := env.scan(t, r)
	acct, region := fxAccount2, "us-east-1"
	key := func(typ string) asset.UnitKey { return asset.UnitKey{Account: acct, Region: region, Type: typ} }
	arn := func(kind, id string) string { return "arn:aws:rds:" + region + ":" + acct + ":" + kind + ":" + id }

	t.Run("instances", func(t *testing.T) {
		pub := byID(t, assets, key(asset.TypeRDSInstance), arn("db", "db-public"))
		priv := byID(t, assets, key(asset.TypeRDSInstance), arn("db", "db-private"))
		if attr(t, pub, "publicly_accessible") != true || attr(t, pub, "storage_encrypted") != false {
			t.Errorf("public db: publicly_accessible %v storage_encrypted %v", pub.Attrs["publicly_accessible"], pub.Attrs["storage_encrypted"])
		}
		if attr(t, priv, "publicly_accessible") != false || attr(t, priv, "storage_encrypted") != true {
			t.Errorf("private db: publicly_accessible %v storage_encrypted %v", priv.Attrs["publicly_accessible"], priv.Attrs["storage_encrypted"])
		}
		if attr(t, pub, "backup_retention_period") != int64(7) || attr(t, pub, "engine") != "postgres" || attr(t, pub, "instance_class") != "db.t3.micro" {
			t.Errorf("retention %#v engine %v class %v", pub.Attrs["backup_retention_period"], pub.Attrs["engine"], pub.Attrs["instance_class"])
		}
		if pub.Name != "db-public" || pub.Tags["env"] != "test" || attr(t, pub, "endpoint") == "" {
			t.Errorf("name %q tags %v endpoint %v", pub.Name, pub.Tags, pub.Attrs["endpoint"])
		}
	})

	t.Run("snapshots", func(t *testing.T) {
		pub := byID(t, assets, key(asset.TypeRDSSnapshot), arn("snapshot", "snap-public"))
		priv := byID(t, assets, key(asset.TypeRDSSnapshot), arn("snapshot", "snap-private"))
		if attr(t, pub, "public") != true || attr(t, priv, "public") != false {
			t.Errorf("public: %v / %v, want true / false", pub.Attrs["public"], priv.Attrs["public"])
		}
		if attr(t, pub, "snapshot_type") != "manual" || attr(t, pub, "db_instance_identifier") != "db-public" || attr(t, priv, "encrypted") != true {
			t.Errorf("type %v db %v encrypted %v", pub.Attrs["snapshot_type"], pub.Attrs["db_instance_identifier"], priv.Attrs["encrypted"])
		}
		if attr(t, pub, "create_time") == "" {
			t.Error("create_time empty")
		}
	})
}
