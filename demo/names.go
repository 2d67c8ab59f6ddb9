package demo

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// Word pools the generator draws names and tags from. They are constants in
// spirit: never written after initialisation.
var (
	teams        = []string{"payments", "search", "identity", "data-platform", "growth", "sre", "checkout", "mobile"}
	apps         = []string{"api", "web", "worker", "ingest", "billing", "ledger", "auth", "catalog", "recommender", "etl", "gateway", "notifier", "reports", "scheduler"}
	firstNames   = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yara", "zoe", "omar", "priya", "chen", "sofia", "mateo", "lena", "kofi", "aiko", "lars"}
	lastNames    = []string{"smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "anderson", "thomas", "moore", "martin", "lee", "walker", "hall", "young", "king", "wright", "scott", "green", "baker", "adams", "nelson", "hill", "campbell", "mitchell", "roberts", "carter", "phillips", "evans", "turner"}
	serviceUsers = []string{"ci-deployer", "terraform", "backup-agent", "datadog-integration", "github-actions", "legacy-ftp-sync", "monitoring", "jenkins", "airflow", "snowflake-loader"}
	iamGroups    = []string{"developers", "admins", "readonly", "oncall", "data-analysts", "billing"}
	instTypes    = []string{"t3.micro", "t3.small", "t3.medium", "t3.large", "m5.large", "m5.xlarge", "m6i.large", "m6i.2xlarge", "c5.xlarge", "c6g.large", "r5.large", "r6g.xlarge"}
	dbClasses    = []string{"db.t3.medium", "db.t4g.large", "db.m5.large", "db.r5.xlarge", "db.r6g.large"}
	// okRuntimes are supported Lambda runtimes; oldRuntimes are deprecated.
	okRuntimes  = []string{"python3.12", "python3.11", "nodejs20.x", "nodejs18.x", "java17", "java21", "provided.al2023", "ruby3.3", "dotnet8", "python3.13", "nodejs22.x"}
	oldRuntimes = []string{"python2.7", "python3.7", "python3.8", "nodejs12.x", "nodejs14.x", "nodejs16.x", "go1.x", "dotnetcore3.1", "ruby2.7", "java8"}
	envKeys     = []string{"LOG_LEVEL", "TABLE_NAME", "QUEUE_URL", "DB_HOST", "STAGE", "API_BASE_URL", "BUCKET", "SENTRY_DSN", "FEATURE_FLAGS"}
	azSuffixes  = []string{"a", "b", "c"}
	cves        = []cveInfo{
		{"CVE-2024-3094", "xz-utils backdoor in liblzma", 10.0, "xz-utils", "5.6.0", "5.6.2"},
		{"CVE-2024-6387", "OpenSSH regreSSHion remote code execution", 8.1, "openssh-server", "8.9p1", "9.8p1"},
		{"CVE-2023-44487", "HTTP/2 rapid reset denial of service", 7.5, "nginx", "1.24.0", "1.25.3"},
		{"CVE-2023-4863", "libwebp heap buffer overflow", 8.8, "libwebp", "1.3.1", "1.3.2"},
		{"CVE-2024-21626", "runc container breakout via leaked fd", 8.6, "runc", "1.1.11", "1.1.12"},
		{"CVE-2023-38545", "curl SOCKS5 heap overflow", 9.8, "curl", "8.3.0", "8.4.0"},
		{"CVE-2022-3602", "OpenSSL X.509 email address buffer overflow", 7.5, "openssl", "3.0.6", "3.0.7"},
		{"CVE-2024-2961", "glibc iconv out-of-bounds write", 7.3, "glibc", "2.39", "2.40"},
		{"CVE-2023-5678", "OpenSSL excessive time in DH key checks", 5.3, "openssl", "3.0.12", "3.0.13"},
		{"CVE-2024-0727", "OpenSSL PKCS12 NULL dereference", 5.5, "openssl", "3.0.12", "3.0.13"},
		{"CVE-2023-28531", "OpenSSH ssh-add smartcard constraint bypass", 4.4, "openssh-client", "9.0p1", "9.3p1"},
		{"CVE-2024-28182", "nghttp2 CONTINUATION frames memory exhaustion", 5.3, "libnghttp2", "1.59.0", "1.61.0"},
		{"CVE-2023-52425", "expat large token denial of service", 7.5, "libexpat", "2.5.0", "2.6.0"},
		{"CVE-2024-2511", "OpenSSL unbounded memory growth in TLSv1.3 sessions", 5.9, "openssl", "3.0.13", "3.0.14"},
		{"CVE-2023-48795", "SSH Terrapin prefix truncation", 5.9, "openssh-server", "9.5p1", "9.6p1"},
		{"CVE-2024-45490", "expat negative length XML_ParseBuffer", 9.8, "libexpat", "2.6.2", "2.6.3"},
		{"CVE-2023-29491", "ncurses memory corruption via terminfo", 7.8, "ncurses", "6.3", "6.4"},
		{"CVE-2024-26130", "cryptography PKCS12 NULL dereference", 7.5, "python3-cryptography", "41.0.7", "42.0.4"},
		{"CVE-2023-45853", "zlib MiniZip integer overflow", 9.8, "zlib", "1.2.13", "1.3.1"},
		{"CVE-2024-24790", "Go net/netip IPv4-mapped address misclassification", 9.8, "golang", "1.22.3", "1.22.4"},
		{"CVE-2023-39325", "Go net/http HTTP/2 rapid reset", 7.5, "golang", "1.21.2", "1.21.3"},
		{"CVE-2024-34459", "libxml2 xmllint buffer over-read", 4.7, "libxml2", "2.12.6", "2.12.7"},
		{"CVE-2023-6246", "glibc syslog heap overflow", 7.8, "glibc", "2.37", "2.39"},
		{"CVE-2024-37371", "krb5 GSS message token invalid memory read", 9.1, "krb5-libs", "1.21.2", "1.21.3"},
	}
)

// cveInfo is one vulnerability the demo findings draw from.
type cveInfo struct {
	id, title          string
	cvss               float64
	pkg, have, fixedIn string
}

// pick returns a random element of list.
func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// mix64 is the splitmix64 finaliser: a bijection on uint64, so distinct
// counters always give distinct resource IDs.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const hexDigits = "0123456789abcdef"

// hexN renders the low 4*n bits of v as n lower-case hex digits.
func hexN(v uint64, n int) string {
	var b [16]byte
	for i := n - 1; i >= 0; i-- {
		b[i] = hexDigits[v&0xf]
		v >>= 4
	}
	return string(b[:n])
}

// itoa is strconv.Itoa for int64 values.
func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// ts renders now minus d as an RFC3339 UTC timestamp.
func ts(now time.Time, d time.Duration) string {
	return now.Add(-d).UTC().Format(time.RFC3339)
}

// days is n days as a duration.
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// list builds a []any of strings (documents keep lists as []any).
func list(ss ...string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
