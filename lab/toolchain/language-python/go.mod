module pic.local/toolchain/language-python

go 1.26.6

require github.com/pulumi/pulumi/sdk/v3 @PULUMI_VERSION@
