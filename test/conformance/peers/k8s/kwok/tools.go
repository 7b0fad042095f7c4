//go:build tools

// A blank import keeps kwok's command (and so all its dependencies) in go.mod/go.sum.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
