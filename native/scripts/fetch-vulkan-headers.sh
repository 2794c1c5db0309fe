#!/usr/bin/env bash
# Prints the include folder of the Vulkan headers native/vulkan-headers.lock pins (Debian trixie's
# libvulkan-dev, extracted into the cache and checked against its sha256).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
printf '%s\n' "$(debian_extract "$ROOT/native/vulkan-headers.lock")/usr/include"
