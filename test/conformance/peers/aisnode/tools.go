//go:build tools

package peers

import _ "github.com/NVIDIA/aistore/cmd/aisnode"
