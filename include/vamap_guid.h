/* SPDX-License-Identifier: MIT */
/*
 * vamap's vendor GUIDs, the only ones it writes variables under: the
 * first ("vamap" then 0x7000) for the saved report (include/results.h)
 * and the conformance checks' variables, the second (0x7001) for "one
 * name under two GUIDs" (efi/conform.c). Both end in "RTSVAM".
 */
#ifndef VAMAP_GUID_H
#define VAMAP_GUID_H

#define VAMAP_VENDOR_GUID_INIT                                              \
	{ 0x76616d61, 0x7000, 0x4c5e,                                       \
	  { 0x9b, 0x1d, 0x52, 0x54, 0x53, 0x56, 0x41, 0x4d } }
#define VAMAP_VENDOR_GUID2_INIT                                             \
	{ 0x76616d61, 0x7001, 0x4c5e,                                       \
	  { 0x9b, 0x1d, 0x52, 0x54, 0x53, 0x56, 0x41, 0x4d } }

#endif
