/*
 * inline2.c - inline functions of the system's headers, for tests/realc.sh:
 * preprocessed (at -O2, so glibc's extern inlines are in too), every
 * function definition these headers hold becomes a generator.  Headers
 * that are not installed are left out; inline1.c and inline2.c are two
 * sets of headers that can be included together.
 */
#define _GNU_SOURCE
#if __has_include(<linux/byteorder/little_endian.h>)
#include <linux/byteorder/little_endian.h>
#endif
#if __has_include(<linux/dccp.h>)
#include <linux/dccp.h>
#endif
#if __has_include(<linux/map_to_14segment.h>)
#include <linux/map_to_14segment.h>
#endif
#if __has_include(<linux/netfilter_arp/arp_tables.h>)
#include <linux/netfilter_arp/arp_tables.h>
#endif
#if __has_include(<linux/netfilter_bridge/ebtables.h>)
#include <linux/netfilter_bridge/ebtables.h>
#endif
#if __has_include(<linux/netfilter_ipv4/ip_tables.h>)
#include <linux/netfilter_ipv4/ip_tables.h>
#endif
#if __has_include(<linux/netfilter_ipv6/ip6_tables.h>)
#include <linux/netfilter_ipv6/ip6_tables.h>
#endif
#if __has_include(<linux/nilfs2_ondisk.h>)
#include <linux/nilfs2_ondisk.h>
#endif
#if __has_include(<linux/raid/md_p.h>)
#include <linux/raid/md_p.h>
#endif
#if __has_include(<linux/tipc_config.h>)
#include <linux/tipc_config.h>
#endif
#if __has_include(<linux/usb/ch9.h>)
#include <linux/usb/ch9.h>
#endif
#if __has_include(<linux/usb/raw_gadget.h>)
#include <linux/usb/raw_gadget.h>
#endif
#if __has_include(<valgrind/libvex_basictypes.h>)
#include <valgrind/libvex_basictypes.h>
#endif
#if __has_include(<valgrind/libvex_ir.h>)
#include <valgrind/libvex_ir.h>
#endif
