module github.com/flowtui/flowtui

go 1.26

require (
	github.com/aliyun/credentials-go v1.4.14
	github.com/expr-lang/expr v1.17.8
	github.com/google/uuid v1.6.0
	github.com/spf13/cobra v1.10.2
	go.yaml.in/yaml/v3 v3.0.6
	gopkg.in/ini.v1 v1.67.0
)

require (
	github.com/alibabacloud-go/debug v1.0.1 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
)
