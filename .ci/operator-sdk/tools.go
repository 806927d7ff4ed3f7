//go:build tools

// Package tools pins operator-sdk, whose `bundle validate` checks the OLM bundle in .ci/run
// (built by .ci/install-operator-sdk).
package tools

import (
	_ "github.com/operator-framework/operator-sdk/cmd/operator-sdk"
)
