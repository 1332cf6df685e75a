package client

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"

	"gopkg.in/ini.v1"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/safefile"
)

// Reading the two credentials files (the aliyun CLI's config.json and
// credentials-go's INI file) before credentials-go does, so that a broken one
// is reported by place and never quoted.

// cliConfig is ~/.aliyun/config.json as credentials-go reads it (its
// providers' configuration and profile types, field for field where the type
// matters). flowtui decodes it first so that a field of the wrong type is
// reported here, by place and expected type: credentials-go's own error quotes
// the whole file, secrets included.
type cliConfig struct {
	Current  string       `json:"current"`
	Profiles []cliProfile `json:"profiles"`
}

type cliProfile struct {
	Name                   string `json:"name"`
	Mode                   string `json:"mode"`
	AccessKeyID            string `json:"access_key_id"`
	AccessKeySecret        string `json:"access_key_secret"`
	SecurityToken          string `json:"sts_token"`
	RegionID               string `json:"region_id"`
	RoleArn                string `json:"ram_role_arn"`
	RoleSessionName        string `json:"ram_session_name"`
	DurationSeconds        int    `json:"expired_seconds"`
	StsRegion              string `json:"sts_region"`
	EnableVpc              bool   `json:"enable_vpc"`
	SourceProfile          string `json:"source_profile"`
	RoleName               string `json:"ram_role_name"`
	OIDCTokenFile          string `json:"oidc_token_file"`
	OIDCToken              string `json:"oidc_token"`
	OIDCProviderARN        string `json:"oidc_provider_arn"`
	Policy                 string `json:"policy"`
	ExternalID             string `json:"external_id"`
	SignInURL              string `json:"cloud_sso_sign_in_url"`
	AccountID              string `json:"cloud_sso_account_id"`
	AccessConfig           string `json:"cloud_sso_access_config"`
	AccessToken            string `json:"access_token"`
	AccessTokenExpire      int64  `json:"cloud_sso_access_token_expire"`
	OauthSiteType          string `json:"oauth_site_type"`
	OauthRefreshToken      string `json:"oauth_refresh_token"`
	OauthAccessToken       string `json:"oauth_access_token"`
	OauthAccessTokenExpire int64  `json:"oauth_access_token_expire"`
	StsExpire              int64  `json:"sts_expiration"`
	ProcessCommand         string `json:"process_command"`
}

// MaxCredentialsFileBytes bounds the credentials and profile files read.
const MaxCredentialsFileBytes = 1 << 20

// readConfigFile reads a credentials or profile file; nil data and no error
// when it does not exist.
func readConfigFile(path string) ([]byte, error) {
	data, err := safefile.Read(path, MaxCredentialsFileBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &fnf.SetupError{File: path, Offset: -1, Msg: strings.TrimPrefix(err.Error(), path+": ")}
	}
	return data, nil
}

// loadCLIConfig reads and decodes the aliyun CLI's file; nil when absent.
func loadCLIConfig(path string) (*cliConfig, error) {
	data, err := readConfigFile(path)
	if data == nil || err != nil {
		return nil, err
	}
	var cfg cliConfig
	if err := json.Unmarshal(fnf.TrimBOM(data), &cfg); err != nil {
		se := fnf.JSONSetupError(path, fnf.TrimBOM(data), err)
		se.Msg += "; fix the file (`aliyun configure` rewrites it)"
		return nil, se
	}
	return &cfg, nil
}

// loadCredentialsFile reads and parses the credentials-go INI file; nil when
// absent.
func loadCredentialsFile(path string) (*ini.File, error) {
	data, err := readConfigFile(path)
	if data == nil || err != nil {
		return nil, err
	}
	f, err := ini.Load(data)
	if err != nil {
		// go-ini's errors quote the offending line, which may hold a secret.
		se := &fnf.SetupError{File: path, Offset: -1, Msg: "not a valid INI file"}
		if n := badINILine(data); n > 0 {
			se.Line, se.Column = n, 1
			se.Msg = "neither a [section] nor a key = value line"
		}
		return nil, se
	}
	return f, nil
}

// badINILine is the number of the first line that is neither blank, a
// comment, a [section] nor a key = value pair; 0 when all are.
func badINILine(data []byte) int {
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "", line[0] == ';', line[0] == '#':
		case line[0] == '[':
			if !strings.HasSuffix(line, "]") {
				return i + 1
			}
		case !strings.ContainsAny(line, "=:"):
			return i + 1
		}
	}
	return 0
}
