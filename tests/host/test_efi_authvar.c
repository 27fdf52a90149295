// SPDX-License-Identifier: MIT
// sources: efi/authvar.c efi/conform.c efi/stress.c efi/names.c kernel/printf.c
/*
 * The authenticated-variable checks (efi/authvar.c) against a simulated
 * firmware that keeps time-based authenticated variables as UEFI 2.10
 * 8.2.6 says: it parses each EFI_VARIABLE_AUTHENTICATION_2, checks the
 * signature over name, GUID, attributes, TimeStamp and data, wants a later
 * TimeStamp but for appends, and keeps the signer with the variable. The
 * payloads are tools/authvar.py's, with a stand-in signature (the key's
 * letter and a hash of what is signed) instead of PKCS #7: the boot tests
 * run the real ones on OVMF. Well behaved, every check passes and the
 * store ends empty; with one bug on, exactly the checks for it fail.
 */
#include <stdarg.h>
#include "check.h"
#define NRESULTS 32
#include "ktap_record.h"
#include "efi_authvar.h"
#include "efi_conform.h"
#include "efi_state.h"
#include "printf.h"
#include "vamap_guid.h"

struct efi_state efi;

/* ------------------------------------------------- the signed payloads */

static const struct efi_guid vamap_guid = VAMAP_VENDOR_GUID_INIT;
const u16 authvar_name[] = u"VamapAuth";

/* The stand-in for PKCS #7: the key, a hash of everything signed, and one
 * of the same without the TimeStamp (for a firmware that checks that). */
struct fake_sig {
	u8 key;
	u64 hash, hash_no_time;
} __attribute__((packed));

#define HDR (16 + 24) /* EFI_TIME, WIN_CERTIFICATE_UEFI_GUID's header */

static u64 fnv(u64 h, const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

/* What 8.2.6 says is signed; @time NULL leaves the TimeStamp out. */
static u64 signed_hash(const struct efi_guid *g, u32 attr, const void *time,
		       const void *data, size_t n)
{
	u64 h = fnv(0xcbf29ce484222325ULL, authvar_name,
		    sizeof(authvar_name) - 2);

	h = fnv(h, g, sizeof(*g));
	h = fnv(h, &attr, 4);
	if (time)
		h = fnv(h, time, 16);
	return fnv(h, data, n);
}

static const struct {
	char key;
	u16 y, m, d;
	u32 extra;
	const char *data;
	int spoil; /* 1: a data byte after signing, 2: the day after */
} spec[AV_NR] = {
	[AV_CREATE_A] = { 'A', 2020, 1, 1, 0, "vamap authvar: A1", 0 },
	[AV_OTHER_KEY] = { 'B', 2021, 1, 1, 0, "vamap authvar: B1", 0 },
	[AV_APPEND] = { 'A', 2020, 1, 2, 0x40, "+app", 0 },
	[AV_UPDATE] = { 'A', 2022, 1, 1, 0, "vamap authvar: A2 updated", 0 },
	[AV_BAD_DATA] = { 'A', 2023, 1, 1, 0, "vamap authvar: A3", 1 },
	[AV_BAD_TIME] = { 'A', 2023, 1, 1, 0, "vamap authvar: A3", 2 },
	[AV_DELETE_A] = { 'A', 2024, 1, 1, 0, "", 0 },
	[AV_CREATE_B] = { 'B', 2020, 1, 1, 0, "vamap authvar: B2", 0 },
	[AV_DELETE_B] = { 'B', 2024, 1, 1, 0, "", 0 },
};

static u8 blobs[AV_NR][128];
static struct authvar_payload payloads[AV_NR];

const struct authvar_payload *authvar_payload(enum authvar_id id)
{
	struct efi_time t = { 0 };
	struct fake_sig sig;
	u8 *b;
	u32 len, n;

	if ((unsigned int)id >= AV_NR)
		return NULL;
	if (payloads[id].bytes)
		return &payloads[id];
	b = blobs[id];
	n = (u32)strlen(spec[id].data);
	t.year = spec[id].y;
	t.month = (u8)spec[id].m;
	t.day = (u8)spec[id].d;
	sig.key = (u8)spec[id].key;
	sig.hash = signed_hash(&vamap_guid, AUTHVAR_ATTR | spec[id].extra, &t,
			       spec[id].data, n);
	sig.hash_no_time = signed_hash(&vamap_guid, AUTHVAR_ATTR | spec[id].extra,
				       NULL, spec[id].data, n);
	if (spec[id].spoil == 2)
		t.day++;
	memcpy(b, &t, 16);
	len = 24 + sizeof(sig);
	memcpy(b + 16, &len, 4);
	memcpy(b + 20, "\x00\x02\xf1\x0e", 4); /* revision 0x0200, 0x0ef1 */
	memset(b + 24, 0x7c, 16);		/* "EFI_CERT_TYPE_PKCS7_GUID" */
	memcpy(b + HDR, &sig, sizeof(sig));
	memcpy(b + HDR + sizeof(sig), spec[id].data, n);
	if (spec[id].spoil == 1)
		b[HDR + sizeof(sig) + n - 1] ^= 1;
	payloads[id] = (struct authvar_payload){ b, HDR + sizeof(sig) + n,
		AUTHVAR_ATTR | spec[id].extra, n, spec[id].key };
	return &payloads[id];
}

/* ------------------------------------------------ the simulated firmware */

enum bug {
	BUG_NONE,
	BUG_NO_AUTH,		/* no authenticated variables at all */
	BUG_REPLAY,		/* an equal TimeStamp is taken */
	BUG_NO_TIME_ORDER,	/* any TimeStamp is taken */
	BUG_ANY_KEY,		/* the signer is not compared */
	BUG_APPEND_REPLACES,	/* APPEND_WRITE overwrites */
	BUG_UPDATE_IGNORED,	/* SUCCESS, the data kept */
	BUG_NO_SIG,		/* the signature is not checked */
	BUG_TIME_NOT_SIGNED,	/* checked without the TimeStamp */
	BUG_GUID_NOT_SIGNED,	/* checked as if under vamap's GUID */
	BUG_PLAIN_WRITE,	/* a write without signature is taken */
	BUG_PLAIN_DELETE,	/* a delete without signature is taken */
	BUG_DELETE_KEEPS,	/* a signed delete says SUCCESS, keeps it */
	BUG_KEY_STICKS,		/* the signer outlives the variable */
	BUG_GET_OVERSIZE,	/* GetVariable: SUCCESS, DataSize past the buffer */
};

static enum bug bug;
static unsigned int set_calls;

#define NVARS 4
static struct var {
	bool used;
	struct efi_guid guid;
	u32 attr;
	u8 data[128], time[16];
	u64 size;
	u8 key;
} vars[NVARS];
static u8 stuck_key; /* BUG_KEY_STICKS: the signer of a deleted one */

static bool is_ours(const u16 *name)
{
	return !memcmp(name, authvar_name, sizeof(authvar_name));
}

static struct var *find(const u16 *name, const struct efi_guid *g)
{
	int i;

	for (i = 0; i < NVARS && is_ours(name); i++)
		if (vars[i].used && !memcmp(&vars[i].guid, g, sizeof(*g)))
			return &vars[i];
	return NULL;
}

static struct var *new_var(const struct efi_guid *g)
{
	int i;

	for (i = 0; i < NVARS; i++)
		if (!vars[i].used) {
			memset(&vars[i], 0, sizeof(vars[i]));
			vars[i].used = true;
			vars[i].guid = *g;
			return &vars[i];
		}
	return NULL;
}

static efi_status_t fw_get(const u16 *name, const struct efi_guid *g,
			   u32 *attr, u64 *size, void *data)
{
	struct var *v;

	if (!name || !g || !size)
		return EFI_INVALID_PARAMETER;
	v = find(name, g);
	if (!v)
		return EFI_NOT_FOUND;
	if (*size < v->size) {
		*size = v->size;
		return EFI_BUFFER_TOO_SMALL;
	}
	memcpy(data, v->data, v->size);
	*size = bug == BUG_GET_OVERSIZE ? 4096 : v->size;
	if (attr)
		*attr = v->attr;
	return EFI_SUCCESS;
}

static efi_status_t fw_set_plain(struct var *v, const struct efi_guid *g,
				 u32 attr, u64 size, const void *data)
{
	bool del = attr == 0 || size == 0;

	if (v && (v->attr & 0x20) &&
	    !(del ? bug == BUG_PLAIN_DELETE : bug == BUG_PLAIN_WRITE))
		return EFI_WRITE_PROTECTED; /* as EDK2 */
	if (del) {
		if (!v)
			return EFI_NOT_FOUND;
		v->used = false;
		return EFI_SUCCESS;
	}
	if (!v && !(v = new_var(g)))
		return EFI_OUT_OF_RESOURCES;
	v->attr = attr;
	memcpy(v->data, data, size);
	v->size = size;
	return EFI_SUCCESS;
}

/* 1, 0, -1: the TimeStamp at @a is later than, equal to, earlier than
 * the one at @b. */
static int later(const u8 *a, const u8 *b)
{
	struct efi_time x, y;
	s64 d;

	memcpy(&x, a, 16);
	memcpy(&y, b, 16);
	d = efi_time_seconds(&x) - efi_time_seconds(&y);
	return d > 0 ? 1 : d == 0 ? 0 : -1;
}

static efi_status_t fw_set(const u16 *name, const struct efi_guid *g,
			   u32 attr, u64 size, const u8 *data)
{
	struct var *v = find(name, g);
	const struct efi_guid *signed_g = bug == BUG_GUID_NOT_SIGNED ? &vamap_guid : g;
	struct fake_sig sig;
	u32 len;
	u64 n, h;
	const u8 *p;

	if (!name || !g || !is_ours(name))
		return EFI_INVALID_PARAMETER;
	if (!(attr & 0x20))
		return fw_set_plain(v, g, attr, size, data);
	if (bug == BUG_NO_AUTH)
		return EFI_INVALID_PARAMETER;
	if (size < HDR + sizeof(sig))
		return EFI_SECURITY_VIOLATION;
	memcpy(&len, data + 16, 4);
	if (len != 24 + sizeof(sig) || memcmp(data + 20, "\x00\x02\xf1\x0e", 4))
		return EFI_SECURITY_VIOLATION;
	memcpy(&sig, data + HDR, sizeof(sig));
	p = data + HDR + sizeof(sig);
	n = size - HDR - sizeof(sig);
	h = bug == BUG_TIME_NOT_SIGNED
		    ? signed_hash(signed_g, attr, NULL, p, n)
		    : signed_hash(signed_g, attr, data, p, n);
	if (bug != BUG_NO_SIG &&
	    h != (bug == BUG_TIME_NOT_SIGNED ? sig.hash_no_time : sig.hash))
		return EFI_SECURITY_VIOLATION;
	if (v && !(attr & 0x40)) {
		int c = later(data, v->time);

		if (bug != BUG_NO_TIME_ORDER && (c < 0 || (c == 0 && bug != BUG_REPLAY)))
			return EFI_SECURITY_VIOLATION;
	}
	if (v && v->key != sig.key && bug != BUG_ANY_KEY)
		return EFI_SECURITY_VIOLATION;
	if (!v && stuck_key && stuck_key != sig.key)
		return EFI_SECURITY_VIOLATION;
	if (n == 0 && !(attr & 0x40)) {
		if (!v)
			return EFI_NOT_FOUND;
		if (bug == BUG_DELETE_KEEPS)
			return EFI_SUCCESS;
		if (bug == BUG_KEY_STICKS)
			stuck_key = v->key;
		v->used = false;
		return EFI_SUCCESS;
	}
	if (v && (attr & 0x40) && bug != BUG_APPEND_REPLACES) {
		memcpy(v->data + v->size, p, n);
		v->size += n;
		if (later(data, v->time) > 0)
			memcpy(v->time, data, 16);
		return EFI_SUCCESS;
	}
	if (v && bug == BUG_UPDATE_IGNORED && n == 25)
		return EFI_SUCCESS;
	if (!v && !(v = new_var(g)))
		return EFI_OUT_OF_RESOURCES;
	v->attr = attr & ~0x40u;
	v->key = sig.key;
	memcpy(v->time, data, 16);
	memcpy(v->data, p, n);
	v->size = n;
	return EFI_SUCCESS;
}

/* The simulated firmware's answer to one call. */
static efi_status_t sim_call(enum efi_rt_service svc, u64 *a)
{
	if (!(efi.rt_supported & efi_rt_supported_bit(svc)))
		return EFI_UNSUPPORTED;
	switch (svc) {
	case RT_GET_VARIABLE:
		return fw_get((u16 *)a[0], (struct efi_guid *)a[1], (u32 *)a[2],
			      (u64 *)a[3], (void *)a[4]);
	case RT_SET_VARIABLE:
		set_calls++;
		return fw_set((u16 *)a[0], (struct efi_guid *)a[1], (u32)a[2],
			      a[3], (const u8 *)a[4]);
	default:
		return EFI_UNSUPPORTED;
	}
}

#include "sim_efi_call.h"

/* What efi/conform.c needs besides. */
efi_status_t efi_svam_again(const char **how)
{
	*how = "";
	return EFI_UNSUPPORTED;
}

const char *efi_mode_name(enum efi_mode mode)
{
	return mode == EFI_MODE_SLOT ? "slot" : "other";
}

/* ------------------------------------------------------------ the tests */

static void boot(enum bug b, u32 supported)
{
	bug = b;
	memset(&efi, 0, sizeof(efi));
	efi.mode = EFI_MODE_SLOT;
	efi.runtime_enabled = true;
	efi.rt_supported = supported;
	memset(vars, 0, sizeof(vars));
	stuck_key = 0;
	nresults = ndiags = 0;
	set_calls = 0;
	efi_authvar();
}

static bool store_empty(void)
{
	int i;

	for (i = 0; i < NVARS; i++)
		if (vars[i].used)
			return false;
	return true;
}

static void test_good_firmware(void)
{
	boot(BUG_NONE, ~0u);
	CHECK_EQ(nresults, 13);
	CHECK_EQ(count(1), 13);
	if (count(1) != 13)
		show(0), show(-1);
	CHECK(store_empty());
	CHECK_EQ(ndiags, 0);
	CHECK(strstr(results[1].line, "got SECURITY_VIOLATION, want "
			     "SECURITY_VIOLATION") != NULL);
}

static void test_each_bug(void)
{
	static const struct {
		enum bug bug;
		const char *fails[3];
	} cases[] = {
		{ BUG_REPLAY, { "efi.variable.auth.replay" } },
		{ BUG_NO_TIME_ORDER, { "efi.variable.auth.replay",
				       "efi.variable.auth.stale" } },
		{ BUG_ANY_KEY, { "efi.variable.auth.other_key" } },
		{ BUG_APPEND_REPLACES, { "efi.variable.auth.append" } },
		{ BUG_UPDATE_IGNORED, { "efi.variable.auth.update" } },
		/* The signature covers the GUID too. */
		{ BUG_NO_SIG, { "efi.variable.auth.bad_data",
				"efi.variable.auth.bad_time",
				"efi.variable.auth.other_guid" } },
		{ BUG_TIME_NOT_SIGNED, { "efi.variable.auth.bad_time" } },
		{ BUG_GUID_NOT_SIGNED, { "efi.variable.auth.other_guid" } },
		{ BUG_PLAIN_WRITE, { "efi.variable.auth.unsigned_write" } },
		{ BUG_PLAIN_DELETE, { "efi.variable.auth.unsigned_delete" } },
		{ BUG_DELETE_KEEPS, { "efi.variable.auth.delete" } },
		{ BUG_KEY_STICKS, { "efi.variable.auth.recreate" } },
	};
	unsigned int i, j, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		boot(cases[i].bug, ~0u);
		for (j = n = 0; j < 3 && cases[i].fails[j]; j++, n++)
			CHECK_EQ(verdict(cases[i].fails[j]), 0);
		if (count(0) != (int)n) {
			fprintf(stderr, "  bug %d:\n", cases[i].bug);
			show(0);
		}
		CHECK_EQ(count(0), n);
	}
	/* The failure says what came back and what was wanted. */
	boot(BUG_REPLAY, ~0u);
	CHECK(strstr(results[1].line, "got SUCCESS, want SECURITY_VIOLATION") != NULL);
	CHECK(strstr(results[1].line, "the variable changed") == NULL); /* same data */
	boot(BUG_PLAIN_DELETE, ~0u);
	CHECK(strstr(results[10].line, "got SUCCESS, want SECURITY_VIOLATION "
			      "or WRITE_PROTECTED (UEFI 2.10 8.2.3); the "
			      "variable is gone") != NULL);
}

/* No authenticated variables (EDK2 2025 built without them): every check
 * a SKIP that says what the firmware answered; nothing left. */
/* A GetVariable that says SUCCESS with a DataSize past the buffer: no
 * read-back is taken for the data written (nothing read past the buffer,
 * which ASan would see), and the checks that need one say why. */
static void test_oversize_read(void)
{
	boot(BUG_GET_OVERSIZE, ~0u);
	CHECK_EQ(verdict("efi.variable.auth.create"), 0);
	CHECK(strstr(results[0].line, "DataSize larger than the 64-byte "
			     "buffer") != NULL);
	CHECK_EQ(count(-1), 12);
}

static void test_no_support(void)
{
	boot(BUG_NO_AUTH, ~0u);
	CHECK_EQ(count(-1), 13);
	CHECK(strstr(results[12].line, "answered INVALID_PARAMETER") != NULL);
	CHECK(store_empty());
	/* SetVariable declared unsupported (U-Boot): SKIPs, no call. */
	boot(BUG_NONE, ~0u & ~efi_rt_supported_bit(RT_SET_VARIABLE));
	CHECK_EQ(count(-1), 13);
	CHECK_EQ(set_calls, 0);
	/* efi=noruntime: SKIPs, no call. */
	bug = BUG_NONE;
	memset(&efi, 0, sizeof(efi));
	efi.mode = EFI_MODE_NORUNTIME;
	efi.disabled_why = EFI_NORUNTIME_WHY; /* as efi_setup sets it */
	nresults = 0;
	set_calls = 0;
	efi_authvar();
	CHECK_EQ(count(-1), 13);
	CHECK_EQ(set_calls, 0);
	CHECK(strstr(results[0].line, "efi=noruntime") != NULL);
}

/* A variable an earlier run left (it stopped half-way): deleted first,
 * then every check passes; one signed by a key neither payload has:
 * every check a SKIP that says so. */
static void test_left_over(void)
{
	struct var *v;

	bug = BUG_NONE;
	memset(vars, 0, sizeof(vars));
	v = new_var(&vamap_guid);
	v->attr = AUTHVAR_ATTR;
	v->key = 'A';
	memcpy(v->time, "\xe6\x07\x01\x01", 4); /* 2022-01-01 */
	v->size = 3;
	memset(&efi, 0, sizeof(efi));
	efi.mode = EFI_MODE_SLOT;
	efi.runtime_enabled = true;
	efi.rt_supported = ~0u;
	nresults = 0;
	efi_authvar();
	CHECK_EQ(count(1), 13);
	CHECK(store_empty());

	v = new_var(&vamap_guid);
	v->attr = AUTHVAR_ATTR;
	v->key = 'C';
	v->size = 3;
	nresults = 0;
	efi_authvar();
	CHECK_EQ(count(-1), 13);
	CHECK(strstr(results[0].line, "left by an earlier run") != NULL);
}

/* only=: a check alone passes (what it needs runs), the others SKIP. */
static void test_each_alone(void)
{
	static const char *const labels[] = {
		"efi.variable.auth.create", "efi.variable.auth.replay",
		"efi.variable.auth.append", "efi.variable.auth.stale",
		"efi.variable.auth.unsigned_delete", "efi.variable.auth.delete",
		"efi.variable.auth.recreate",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(labels); i++) {
		only = labels[i];
		boot(BUG_NONE, ~0u);
		only = NULL;
		CHECK_EQ(verdict(labels[i]), 1);
		CHECK_EQ(count(1), 1);
		CHECK_EQ(count(0), 0);
		CHECK(store_empty());
	}
}

int main(void)
{
	run_test("a conforming firmware passes every check, store left empty",
		 test_good_firmware);
	run_test("each simulated firmware bug fails exactly its checks",
		 test_each_bug);
	run_test("no authenticated variables, SetVariable off, efi=noruntime: "
		 "SKIPs", test_no_support);
	run_test("a variable an earlier run left: deleted, or SKIPs",
		 test_left_over);
	run_test("only=LABEL: each check alone", test_each_alone);
	run_test("GetVariable's DataSize past the buffer: no over-read",
		 test_oversize_read);
	return check_exit();
}
