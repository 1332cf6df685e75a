package client

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials/providers"
	"gopkg.in/ini.v1"

	"github.com/flowtui/flowtui/fnf"
)

// Credentials are the keys a call is signed with.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret fnf.Secret
	SecurityToken   fnf.Secret // STS credentials only
}

// CredentialsProvider yields the credentials for the next call; providers of
// temporary credentials refresh them as they expire.
type CredentialsProvider interface {
	Credentials() (Credentials, error)
}

// StaticCredentials is a fixed key pair (tests, `flowtui serve` clients).
type StaticCredentials Credentials

// Credentials returns the pair itself.
func (s StaticCredentials) Credentials() (Credentials, error) { return Credentials(s), nil }

// DefaultRegion is used when neither a flag, the environment nor the profile names one.
const DefaultRegion = "cn-hangzhou"

var regionRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidateRegion refuses region IDs that could not be part of a host name.
func ValidateRegion(region string) error {
	if !regionRE.MatchString(region) {
		return fmt.Errorf("region %q is not a region ID (like cn-hangzhou or ap-southeast-1)", region)
	}
	return nil
}

// ResolveOptions are the user's explicit choices; the rest comes from the
// environment and the files under HOME.
type ResolveOptions struct {
	Profile string // --profile
	Region  string // --region
}

// Resolved says where the credentials and the region came from.
type Resolved struct {
	Provider CredentialsProvider
	Source   string // for people: "environment", `profile "dev" in ~/.aliyun/config.json`, …
	Profile  string // the profile name, or "env"
	Mode     string // the profile's mode (AK, StsToken, RamRoleArn, EcsRamRole, …)
	Region   string
}

// ErrNoCredentials is matched (errors.Is) by the error of a resolution that found
// no credentials anywhere.
var ErrNoCredentials = errors.New("no Alibaba Cloud credentials found")

// NoCredentialsError lists what was looked at.
type NoCredentialsError struct{ Looked []string }

func (e *NoCredentialsError) Error() string {
	return "no Alibaba Cloud credentials found (looked at " + strings.Join(e.Looked, "; ") +
		"). Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, run `aliyun configure`, or write ~/.alibabacloud/credentials"
}

func (e *NoCredentialsError) Is(target error) bool { return target == ErrNoCredentials }

// ResolveCredentials finds the credentials the way the Alibaba Cloud tools do,
// without ever falling through to the instance-metadata service: environment
// variables, then the aliyun CLI profile (--profile, ALIBABA_CLOUD_PROFILE, the
// file's current), then ~/.alibabacloud/credentials. Only a profile whose mode is
// EcsRamRole (or a RAM role, OIDC, SSO…) contacts a host, the one it names.
// Nothing is fetched here: the first call does that.
func ResolveCredentials(opts ResolveOptions) (*Resolved, error) {
	r, err := resolveSource(opts.Profile)
	if err != nil {
		return nil, err
	}
	switch {
	case opts.Region != "":
		r.Region = opts.Region
	case os.Getenv("ALIBABA_CLOUD_REGION_ID") != "":
		r.Region = os.Getenv("ALIBABA_CLOUD_REGION_ID")
	case r.Region == "":
		r.Region = DefaultRegion
	}
	if err := ValidateRegion(r.Region); err != nil {
		return nil, err
	}
	return r, nil
}

func resolveSource(explicit string) (*Resolved, error) {
	var looked []string
	if explicit == "" {
		if id := os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"); id != "" {
			if os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET") == "" {
				return nil, errors.New("ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not")
			}
			p, _ := providers.NewEnvironmentVariableCredentialsProviderBuilder().Build()
			return &Resolved{Provider: adapt(p, "environment"), Source: "environment", Profile: "env", Mode: "AK"}, nil
		}
		looked = append(looked, "ALIBABA_CLOUD_ACCESS_KEY_ID (unset)")
	}
	name := explicit
	if name == "" {
		name = os.Getenv("ALIBABA_CLOUD_PROFILE")
	}
	ignoreProfiles := strings.EqualFold(os.Getenv("ALIBABA_CLOUD_IGNORE_PROFILE"), "true")
	home, _ := os.UserHomeDir()

	var known []string
	if !ignoreProfiles && !strings.EqualFold(os.Getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"), "true") {
		path := envOr("ALIBABA_CLOUD_CONFIG_FILE", filepath.Join(home, ".aliyun", "config.json"))
		r, names, err := fromCLIConfig(path, name)
		if err != nil || r != nil {
			return r, err
		}
		known = append(known, names...)
		looked = append(looked, path)
	}
	if !ignoreProfiles {
		path := envOr("ALIBABA_CLOUD_CREDENTIALS_FILE", filepath.Join(home, ".alibabacloud", "credentials"))
		r, names, err := fromCredentialsFile(path, name)
		if err != nil || r != nil {
			return r, err
		}
		known = append(known, names...)
		looked = append(looked, path)
	}
	if explicit != "" {
		sort.Strings(known)
		list := "none"
		if len(known) > 0 {
			list = strings.Join(known, ", ")
		}
		return nil, fmt.Errorf("profile %q not found in %s (profiles there: %s)", explicit, strings.Join(looked, " or "), list)
	}
	return nil, &NoCredentialsError{Looked: looked}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// fromCLIConfig returns the named (else current) profile of the aliyun CLI's
// file, nil when the file or the profile is absent.
func fromCLIConfig(path, name string) (*Resolved, []string, error) {
	cfg, err := loadCLIConfig(path)
	if cfg == nil || err != nil {
		return nil, nil, err
	}
	if name == "" {
		name = cfg.Current
	}
	var names []string
	for _, p := range cfg.Profiles {
		names = append(names, p.Name)
		if p.Name != name || name == "" {
			continue
		}
		b := providers.NewCLIProfileCredentialsProviderBuilder().WithProfileFile(path).WithProfileName(name)
		prov, err := b.Build()
		if err != nil {
			return nil, nil, &fnf.SetupError{File: path, Offset: -1, Field: fmt.Sprintf("profile %q", name), Msg: err.Error()}
		}
		src := fmt.Sprintf("profile %q in %s", name, path)
		return &Resolved{Provider: adapt(prov, src), Source: src, Profile: name, Mode: p.Mode, Region: p.RegionID}, nil, nil
	}
	return nil, names, nil
}

// fromCredentialsFile returns the named (else "default") section of the
// credentials-go INI file, nil when the file or the section is absent.
func fromCredentialsFile(path, name string) (*Resolved, []string, error) {
	f, err := loadCredentialsFile(path)
	if f == nil || err != nil {
		return nil, nil, err
	}
	section := cmp.Or(name, "default")
	var names []string
	for _, s := range f.SectionStrings() {
		if s != ini.DefaultSection {
			names = append(names, s)
		}
	}
	sec, err := f.GetSection(section)
	if err != nil {
		return nil, names, nil
	}
	prov, err := providers.NewProfileCredentialsProviderBuilder().WithProfileName(section).Build()
	if err != nil {
		return nil, nil, &fnf.SetupError{File: path, Offset: -1, Field: "[" + section + "]", Msg: err.Error()}
	}
	// credentials-go reads ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials,
	// the same file as path.
	src := fmt.Sprintf("[%s] in %s", section, path)
	return &Resolved{
		Provider: adapt(prov, src), Source: src, Profile: section,
		Mode: sec.Key("type").String(), Region: sec.Key("region_id").String(),
	}, nil, nil
}

// adapt wraps a credentials-go provider. Its lazy set-up is not safe for
// concurrent first use, hence the mutex.
func adapt(p providers.CredentialsProvider, source string) CredentialsProvider {
	return &sdkProvider{p: p, source: source}
}

type sdkProvider struct {
	mu     sync.Mutex
	p      providers.CredentialsProvider
	source string
}

func (s *sdkProvider) Credentials() (Credentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.p.GetCredentials()
	if err != nil {
		return Credentials{}, &fnf.SetupError{Offset: -1, Msg: fmt.Sprintf("credentials from %s: %s (nothing was sent)", s.source, sdkMessage(err))}
	}
	if c.AccessKeyId == "" || c.AccessKeySecret == "" {
		return Credentials{}, &fnf.SetupError{Offset: -1, Msg: fmt.Sprintf("credentials from %s: AccessKey ID or secret is empty (nothing was sent)", s.source)}
	}
	return Credentials{AccessKeyID: c.AccessKeyId, AccessKeySecret: fnf.Secret(c.AccessKeySecret), SecurityToken: fnf.Secret(c.SecurityToken)}, nil
}

// sdkMessage is a credentials-go error without the file content some of its
// messages quote (a config.json that does not decode, an INI line that does not
// parse). flowtui checks both files first, so these arise only when a file
// changes in between.
func sdkMessage(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "unmarshal aliyun cli config"):
		return "the aliyun CLI configuration file is not valid JSON of its shape"
	case strings.HasPrefix(msg, "ERROR: Can not open file"):
		return "the credentials file cannot be read or parsed"
	}
	return msg
}

// ProfileNames lists the aliyun CLI profiles and the sections of the
// credentials file, for a picker. Nothing secret is read into memory.
func ProfileNames() []string {
	home, _ := os.UserHomeDir()
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if cfg, _ := loadCLIConfig(envOr("ALIBABA_CLOUD_CONFIG_FILE", filepath.Join(home, ".aliyun", "config.json"))); cfg != nil {
		for _, p := range cfg.Profiles {
			add(p.Name)
		}
	}
	if f, _ := loadCredentialsFile(envOr("ALIBABA_CLOUD_CREDENTIALS_FILE", filepath.Join(home, ".alibabacloud", "credentials"))); f != nil {
		for _, s := range f.SectionStrings() {
			if s != ini.DefaultSection {
				add(s)
			}
		}
	}
	return names
}
