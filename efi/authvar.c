// SPDX-License-Identifier: MIT
/*
 * Time-based authenticated variables (UEFI 2.10 8.2.6), the assertions of
 * fwts's uefirtauthvar and a few more, after vamap's SetVirtualAddressMap,
 * in efi_pgd: one variable of vamap's, VamapAuth under its vendor GUID,
 * written with payloads tools/authvar.py signed at build time with two
 * test keys (include/efi_authvar.h). A write the firmware must take, it
 * takes and the variable reads back so; a write it must refuse — a
 * replay, an older timestamp, another key, a signature that does not
 * cover what is written, no signature at all — is refused with the status
 * the spec names and changes nothing. The variable is deleted at the end.
 *
 * A firmware without time-based authenticated variables refuses the first
 * write with INVALID_PARAMETER or UNSUPPORTED: every check is then a SKIP
 * that says so.
 */
#include "efi_authvar.h"
#include "efi_conform.h"
#include "efi_state.h"
#include "kernel.h"
#include "ktap.h"
#include "printf.h"
#include "vamap_guid.h"

#define L(s) "efi.variable.auth." s

static const char *const labels[] = {
	L("create"), L("replay"), L("other_key"), L("append"), L("update"),
	L("stale"), L("bad_data"), L("bad_time"), L("other_guid"),
	L("unsigned_write"), L("unsigned_delete"), L("delete"), L("recreate"),
};

static const struct efi_guid guid2 = VAMAP_VENDOR_GUID2_INIT;

/* 8.2.6: what a write whose authentication fails returns. */
static const efi_status_t violation = EFI_SECURITY_VIOLATION;
/* 8.2.3: a rewrite with attributes other than the variable's "shall
 * return EFI_INVALID_PARAMETER"; its status table also has
 * WRITE_PROTECTED for a variable that is read-only (EDK2's answer for an
 * authenticated variable written without authentication). */
static const efi_status_t unsigned_write_ok[] = {
	EFI_INVALID_PARAMETER, EFI_WRITE_PROTECTED,
};
/* 8.2.3: deleting a time-based authenticated variable "when called using
 * DataSize of zero will fail with an EFI_SECURITY_VIOLATION status"; the
 * status table also has WRITE_PROTECTED for a variable that cannot be
 * deleted (EDK2's answer). */
static const efi_status_t unsigned_delete_ok[] = {
	EFI_SECURITY_VIOLATION, EFI_WRITE_PROTECTED,
};

/* What GetVariable read: its status, attributes and data; @oversize: it
 * said SUCCESS with a DataSize larger than the buffer (then @size is the
 * buffer's, and nothing compares equal to it). */
struct content {
	efi_status_t st;
	u32 attr;
	u64 size;
	bool oversize;
	u8 data[64];
};

static const u8 *plain(const struct authvar_payload *p)
{
	return p->bytes + p->size - p->plain;
}

static efi_status_t set(enum authvar_id id, const struct efi_guid *g)
{
	const struct authvar_payload *p = authvar_payload(id);

	return efi_set_variable(authvar_name, g, p->attr, p->size, p->bytes);
}

static void var_read(const struct efi_guid *g, struct content *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(c->data);
	c->st = efi_get_variable(authvar_name, g, &c->attr, &c->size, c->data);
	if (c->size > sizeof(c->data)) {
		c->oversize = c->st == EFI_SUCCESS;
		c->size = sizeof(c->data);
	}
}

static bool same(const struct content *a, const struct content *b)
{
	return a->st == b->st && !a->oversize && !b->oversize &&
	       (a->st != EFI_SUCCESS ||
		(a->attr == b->attr && a->size == b->size &&
		 !memcmp(a->data, b->data, a->size)));
}

/* Does the variable read back with attributes NV|BS|RT|TIME_BASED and
 * exactly @size bytes of @data? Else @why says what it read. */
static bool holds(const void *data, u64 size, char *why, size_t len)
{
	struct content c;

	var_read(&efi_vamap_guid, &c);
	if (!why)
		return c.st == EFI_SUCCESS && !c.oversize &&
		       c.attr == AUTHVAR_ATTR && c.size == size &&
		       !memcmp(c.data, data, size);
	if (c.oversize)
		ksnprintf(why, len, "; read back: SUCCESS with a DataSize "
			  "larger than the %lu-byte buffer", (unsigned long)c.size);
	else if (c.st != EFI_SUCCESS)
		ksnprintf(why, len, "; read back: %s", efi_status_name(c.st));
	else if (c.attr != AUTHVAR_ATTR)
		ksnprintf(why, len, "; read back attributes 0x%x, want 0x%x",
			  c.attr, AUTHVAR_ATTR);
	else if (c.size != size || memcmp(c.data, data, size))
		ksnprintf(why, len, "; read back %lu bytes, not the %lu written",
			  (unsigned long)c.size, (unsigned long)size);
	else
		return true;
	return false;
}

/* A write the firmware must take: @id, then the variable holds @data. */
static void taken(const char *label, enum authvar_id id, const char *what,
		  const void *data, u64 size)
{
	char why[96] = "";
	efi_status_t st = set(id, &efi_vamap_guid);
	bool ok = st == EFI_SUCCESS && holds(data, size, why, sizeof(why));

	ktap_result(ok, label, "%s: got %s, want SUCCESS (UEFI 2.10 8.2.6)%s",
		    what, efi_status_name(st), why);
}

/* A write the firmware must refuse with one of @want[0..@n) and leave
 * the variable under @g as it was. @st is what the write returned;
 * @before what was read first. */
static void refusal(const char *label, const char *what, efi_status_t st,
		    const struct efi_guid *g, const struct content *before,
		    const efi_status_t *want, unsigned int n, const char *clause)
{
	struct content after;
	char wants[80];
	bool status_ok = false;
	unsigned int i;

	for (i = 0; i < n; i++)
		status_ok |= st == want[i];
	efi_status_list(wants, sizeof(wants), want, n);
	var_read(g, &after);
	ktap_result(status_ok && same(before, &after), label, "%s: got %s, "
		    "want %s (UEFI 2.10 %s)%s", what, efi_status_name(st),
		    wants, clause, same(before, &after) ? "" : after.st == EFI_SUCCESS
			? before->st == EFI_SUCCESS ? "; the variable changed"
						    : "; a variable was created"
			: "; the variable is gone");
}

static bool ready(const char *label);

/* A signed write the firmware must refuse with SECURITY_VIOLATION. */
static void forged(const char *label, enum authvar_id id,
		   const struct efi_guid *g, const char *what)
{
	struct content before;

	if (g == &efi_vamap_guid ? !ready(label) : !ktap_selected(label)) {
		if (g != &efi_vamap_guid)
			ktap_skip(label, "not selected");
		return;
	}
	var_read(g, &before);
	refusal(label, what, set(id, g), g, &before, &violation, 1, "8.2.6");
}

/* Deletes VamapAuth: with each key's signed delete, or as any variable
 * if a firmware took an unsigned write and it is one no more. */
static bool var_remove(void)
{
	static const enum authvar_id del[] = { AV_DELETE_A, AV_DELETE_B };
	struct content c;
	unsigned int i;

	for (i = 0;; i++) {
		var_read(&efi_vamap_guid, &c);
		if (c.st == EFI_NOT_FOUND)
			return true;
		if (i == ARRAY_SIZE(del))
			return false;
		if (c.st == EFI_SUCCESS && !(c.attr & AUTHVAR_TIME_BASED))
			efi_set_variable(authvar_name, &efi_vamap_guid, 0, 0, NULL);
		else
			set(del[i], &efi_vamap_guid);
	}
}

/* VamapAuth as key A made it, whatever a check before did to it, so each
 * check after judges only its own write. */
static bool key_a_variable(void)
{
	const struct authvar_payload *p = authvar_payload(AV_CREATE_A);
	struct content c;

	var_read(&efi_vamap_guid, &c);
	if (c.st == EFI_SUCCESS && c.attr == AUTHVAR_ATTR)
		return true;
	return var_remove() && set(AV_CREATE_A, &efi_vamap_guid) == EFI_SUCCESS &&
	       holds(plain(p), p->plain, NULL, 0);
}

/* Is check @label selected, and VamapAuth as key A made it? Else its
 * SKIP line. */
static bool ready(const char *label)
{
	if (!ktap_selected(label)) {
		ktap_skip(label, "not selected");
		return false;
	}
	if (key_a_variable())
		return true;
	ktap_skip(label, "VamapAuth, changed by a check before, could not be "
		  "made again with key A");
	return false;
}

static void skip_all(unsigned int from, const char *why)
{
	unsigned int i;

	for (i = from; i < ARRAY_SIZE(labels); i++)
		ktap_skip(labels[i], "%s", why);
}

void efi_authvar(void)
{
	const struct authvar_payload *create = authvar_payload(AV_CREATE_A),
				     *append = authvar_payload(AV_APPEND),
				     *update = authvar_payload(AV_UPDATE),
				     *recreate = authvar_payload(AV_CREATE_B);
	u8 appended[64];
	struct content before;
	char why[96] = "";
	efi_status_t st;
	bool needed = false, ok;
	unsigned int i;

	for (i = 1; i < ARRAY_SIZE(labels); i++)
		needed |= ktap_selected(labels[i]);
	if (!efi_usable_prereq(labels[0], RT_SET_VARIABLE, needed)) {
		skip_all(1, "needs the variable efi.variable.auth.create makes: "
			 "skipped");
		return;
	}
	if (!(efi.rt_supported & efi_rt_supported_bit(RT_GET_VARIABLE))) {
		skip_all(0, "GetVariable unsupported (RT properties table): "
			 "nothing written can be read back");
		return;
	}
	/* A run that stopped half-way left it: its timestamp would refuse
	 * the first write. */
	if (!var_remove()) {
		skip_all(0, "VamapAuth, left by an earlier run, is not deleted "
			 "by either test key's signed delete (another build's "
			 "keys?)");
		return;
	}

	st = set(AV_CREATE_A, &efi_vamap_guid);
	if (st == EFI_INVALID_PARAMETER || st == EFI_UNSUPPORTED) {
		ksnprintf(why, sizeof(why), "SetVariable(TIME_BASED_"
			  "AUTHENTICATED_WRITE_ACCESS) answered %s: no time-based "
			  "authenticated variables here", efi_status_name(st));
		skip_all(0, why);
		return;
	}
	ok = st == EFI_SUCCESS &&
	     holds(plain(create), create->plain, why, sizeof(why));
	ktap_result(ok, labels[0], "key A, 2020-01-01: got %s, want SUCCESS "
		    "(UEFI 2.10 8.2.6)%s", efi_status_name(st), why);
	if (!ok) {
		skip_all(1, "needs the variable efi.variable.auth.create makes: "
			 "it failed");
		var_remove();
		return;
	}

	/* 8.2.6: unless APPEND_WRITE, a TimeStamp later than the one kept;
	 * the signer the variable was created by. */
	forged(L("replay"), AV_CREATE_A, &efi_vamap_guid,
	       "the same signed write again, same TimeStamp");
	forged(L("other_key"), AV_OTHER_KEY, &efi_vamap_guid,
	       "key B, 2021-01-01, over key A's variable");

	/* APPEND_WRITE adds to the end of what is there; no later
	 * TimeStamp needed. */
	if (ready(L("append"))) {
		var_read(&efi_vamap_guid, &before);
		/* ready() saw it as key A made it; what it holds now fits. */
		before.size = MIN(before.size, sizeof(appended) - append->plain);
		memcpy(appended, before.data, before.size);
		memcpy(appended + before.size, plain(append), append->plain);
		taken(L("append"), AV_APPEND, "key A, 2020-01-02, APPEND_WRITE",
		      appended, before.size + append->plain);
	}
	if (ready(L("update")))
		taken(L("update"), AV_UPDATE, "key A, 2022-01-01, new data",
		      plain(update), update->plain);

	forged(L("stale"), AV_CREATE_A, &efi_vamap_guid,
	       "key A, 2020-01-01, after a later write");
	/* 2023: later than any write before, so only the signature is
	 * wrong. */
	forged(L("bad_data"), AV_BAD_DATA, &efi_vamap_guid,
	       "key A, 2023-01-01, a data byte changed after signing");
	forged(L("bad_time"), AV_BAD_TIME, &efi_vamap_guid,
	       "key A, signed for 2023-01-01, TimeStamp 2023-01-02");
	forged(L("other_guid"), AV_CREATE_A, &guid2,
	       "key A's signed write, under another vendor GUID");

	/* No signature at all: an ordinary write, an ordinary delete (as
	 * efivarfs's unlink); the statuses above. */
	if (ready(L("unsigned_write"))) {
		static const u8 data[] = "vamap: unsigned";

		var_read(&efi_vamap_guid, &before);
		st = efi_set_variable(authvar_name, &efi_vamap_guid, NV_BS_RT,
				      sizeof(data), data);
		refusal(L("unsigned_write"), "NV|BS|RT without a signature", st,
			&efi_vamap_guid, &before, unsigned_write_ok,
			ARRAY_SIZE(unsigned_write_ok), "8.2.3");
	}
	if (ready(L("unsigned_delete"))) {
		var_read(&efi_vamap_guid, &before);
		st = efi_set_variable(authvar_name, &efi_vamap_guid, 0, 0, NULL);
		refusal(L("unsigned_delete"), "Attributes 0, DataSize 0", st,
			&efi_vamap_guid, &before, unsigned_delete_ok,
			ARRAY_SIZE(unsigned_delete_ok), "8.2.3");
	}

	/* A signed write with no data deletes, and the key goes with it:
	 * key B may then create the variable. */
	if (ready(L("delete"))) {
		struct content c;

		st = set(AV_DELETE_A, &efi_vamap_guid);
		var_read(&efi_vamap_guid, &c);
		ktap_result(st == EFI_SUCCESS && c.st == EFI_NOT_FOUND, L("delete"),
			    "key A, 2024-01-01, no data: got %s, want SUCCESS; "
			    "read back: got %s, want NOT_FOUND (UEFI 2.10 8.2.6)",
			    efi_status_name(st), efi_status_name(c.st));
	}
	if (ktap_selected(L("recreate")) && var_remove()) {
		efi_status_t st2 = EFI_SUCCESS;
		struct content c;

		why[0] = 0;
		st = set(AV_CREATE_B, &efi_vamap_guid);
		ok = st == EFI_SUCCESS &&
		     holds(plain(recreate), recreate->plain, why, sizeof(why));
		if (ok) {
			st2 = set(AV_DELETE_B, &efi_vamap_guid);
			var_read(&efi_vamap_guid, &c);
			ok = st2 == EFI_SUCCESS && c.st == EFI_NOT_FOUND;
			ksnprintf(why, sizeof(why), "; its delete: got %s, "
				  "want SUCCESS, then %s, want NOT_FOUND",
				  efi_status_name(st2), efi_status_name(c.st));
		}
		ktap_result(ok, L("recreate"), "after the delete, key B, "
			    "2020-01-01: got %s, want SUCCESS%s (UEFI 2.10 "
			    "8.2.6)", efi_status_name(st), why);
	} else if (ktap_selected(L("recreate"))) {
		ktap_skip(L("recreate"), "VamapAuth could not be deleted first");
	} else {
		ktap_skip(L("recreate"), "not selected");
	}
	if (!var_remove())
		ktap_diag("VamapAuth is left in the store: neither test key's "
			  "signed delete removes it");
}
