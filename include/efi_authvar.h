/* SPDX-License-Identifier: MIT */
/*
 * Time-based authenticated variables (efi/authvar.c; UEFI 2.10 8.2.6):
 * the payloads tools/authvar.py signs at build time with two test keys,
 * A and B, each an EFI_VARIABLE_AUTHENTICATION_2 and the data after it,
 * for vamap's variable authvar_name under its vendor GUID.
 */
#ifndef VAMAP_EFI_AUTHVAR_H
#define VAMAP_EFI_AUTHVAR_H

#include "types.h"

enum authvar_id {
	AV_CREATE_A,	/* key A, 2020-01-01: creates the variable */
	AV_OTHER_KEY,	/* key B, 2021-01-01: a later write by another key */
	AV_APPEND,	/* key A, 2020-01-02, APPEND_WRITE */
	AV_UPDATE,	/* key A, 2022-01-01: new data */
	AV_BAD_DATA,	/* key A, 2023-01-01, a data byte changed after signing */
	AV_BAD_TIME,	/* key A, signed for 2023-01-01, stamped the 2nd */
	AV_DELETE_A,	/* key A, 2024-01-01, no data: deletes */
	AV_CREATE_B,	/* key B, 2020-01-01: creates it anew */
	AV_DELETE_B,	/* key B, 2024-01-01, no data */
	AV_NR
};

struct authvar_payload {
	const u8 *bytes;	/* EFI_VARIABLE_AUTHENTICATION_2, then data */
	u32 size;		/* SetVariable's DataSize */
	u32 attr;		/* the Attributes it was signed with */
	u32 plain;		/* bytes of variable data at its end */
	char key;		/* 'A' or 'B' */
};

/* The attributes every payload but AV_APPEND carries, and GetVariable
 * returns: NV|BS|RT|TIME_BASED_AUTHENTICATED_WRITE_ACCESS. */
#define AUTHVAR_ATTR 0x27
#define AUTHVAR_TIME_BASED 0x20

extern const u16 authvar_name[];

/* Payload @id, or NULL for an id that is none. */
const struct authvar_payload *authvar_payload(enum authvar_id id);

/* The checks, after the conformance checks (efi/conform.c). */
void efi_authvar(void);

#endif
