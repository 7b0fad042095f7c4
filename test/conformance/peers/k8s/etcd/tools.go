//go:build tools

// A blank import keeps etcd's server command (and so all its dependencies) in go.mod/go.sum.
package tools

import _ "go.etcd.io/etcd/server/v3"
