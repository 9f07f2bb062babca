/*
 * inline1.c - inline functions of the system's headers, for tests/realc.sh:
 * preprocessed (at -O2, so glibc's extern inlines are in too), every
 * function definition these headers hold becomes a generator.  Headers
 * that are not installed are left out; inline1.c and inline2.c are two
 * sets of headers that can be included together.
 */
#define _GNU_SOURCE
#if __has_include(<byteswap.h>)
#include <byteswap.h>
#endif
#if __has_include(<ctype.h>)
#include <ctype.h>
#endif
#if __has_include(<endian.h>)
#include <endian.h>
#endif
#if __has_include(<math.h>)
#include <math.h>
#endif
#if __has_include(<pthread.h>)
#include <pthread.h>
#endif
#if __has_include(<signal.h>)
#include <signal.h>
#endif
#if __has_include(<stdio.h>)
#include <stdio.h>
#endif
#if __has_include(<stdlib.h>)
#include <stdlib.h>
#endif
#if __has_include(<string.h>)
#include <string.h>
#endif
#if __has_include(<sys/stat.h>)
#include <sys/stat.h>
#endif
#if __has_include(<sys/sysmacros.h>)
#include <sys/sysmacros.h>
#endif
#if __has_include(<wchar.h>)
#include <wchar.h>
#endif
#if __has_include(<asm/swab.h>)
#include <asm/swab.h>
#endif
#if __has_include(<glvnd/libeglabi.h>)
#include <glvnd/libeglabi.h>
#endif
#if __has_include(<glvnd/libglxabi.h>)
#include <glvnd/libglxabi.h>
#endif
#if __has_include(<gmp.h>)
#include <gmp.h>
#endif
#if __has_include(<linux/atm.h>)
#include <linux/atm.h>
#endif
#if __has_include(<linux/atmsap.h>)
#include <linux/atmsap.h>
#endif
#if __has_include(<linux/auto_dev-ioctl.h>)
#include <linux/auto_dev-ioctl.h>
#endif
#if __has_include(<linux/auto_fs.h>)
#include <linux/auto_fs.h>
#endif
#if __has_include(<linux/btrfs_tree.h>)
#include <linux/btrfs_tree.h>
#endif
#if __has_include(<linux/byteorder/big_endian.h>)
#include <linux/byteorder/big_endian.h>
#endif
#if __has_include(<linux/cec-funcs.h>)
#include <linux/cec-funcs.h>
#endif
#if __has_include(<linux/cec.h>)
#include <linux/cec.h>
#endif
#if __has_include(<linux/ethtool.h>)
#include <linux/ethtool.h>
#endif
#if __has_include(<linux/eventpoll.h>)
#include <linux/eventpoll.h>
#endif
#if __has_include(<linux/fsmap.h>)
#include <linux/fsmap.h>
#endif
#if __has_include(<linux/kcov.h>)
#include <linux/kcov.h>
#endif
#if __has_include(<linux/map_to_7segment.h>)
#include <linux/map_to_7segment.h>
#endif
#if __has_include(<linux/mdio.h>)
#include <linux/mdio.h>
#endif
#if __has_include(<linux/ndctl.h>)
#include <linux/ndctl.h>
#endif
#if __has_include(<linux/netfilter/xt_sctp.h>)
#include <linux/netfilter/xt_sctp.h>
#endif
#if __has_include(<linux/nilfs2_api.h>)
#include <linux/nilfs2_api.h>
#endif
#if __has_include(<linux/swab.h>)
#include <linux/swab.h>
#endif
#if __has_include(<linux/target_core_user.h>)
#include <linux/target_core_user.h>
#endif
#if __has_include(<linux/tipc.h>)
#include <linux/tipc.h>
#endif
#if __has_include(<linux/ublk_cmd.h>)
#include <linux/ublk_cmd.h>
#endif
#if __has_include(<linux/videodev2.h>)
#include <linux/videodev2.h>
#endif
#if __has_include(<linux/virtio_ring.h>)
#include <linux/virtio_ring.h>
#endif
#if __has_include(<mtd/mtd-abi.h>)
#include <mtd/mtd-abi.h>
#endif
#if __has_include(<openssl/core_dispatch.h>)
#include <openssl/core_dispatch.h>
#endif
#if __has_include(<sys/io.h>)
#include <sys/io.h>
#endif
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#endif
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
