/* SPDX-License-Identifier: MIT */
/*
 * UEFI runtime definitions the kernel uses (UEFI 2.10: 4.3 system table,
 * 4.5 runtime services table, 8 services, appendix D status codes).
 */
#ifndef VAMAP_EFI_RT_H
#define VAMAP_EFI_RT_H

#include "types.h"

typedef u64 efi_status_t;

#define EFI_ERROR_BIT (1ULL << 63)
#define EFI_SUCCESS 0ULL
#define EFI_INVALID_PARAMETER (EFI_ERROR_BIT | 2)
#define EFI_UNSUPPORTED (EFI_ERROR_BIT | 3)
#define EFI_BUFFER_TOO_SMALL (EFI_ERROR_BIT | 5)
#define EFI_DEVICE_ERROR (EFI_ERROR_BIT | 7)
#define EFI_WRITE_PROTECTED (EFI_ERROR_BIT | 8)
#define EFI_OUT_OF_RESOURCES (EFI_ERROR_BIT | 9)
#define EFI_NOT_FOUND (EFI_ERROR_BIT | 14)
#define EFI_NO_MAPPING (EFI_ERROR_BIT | 17)
#define EFI_ABORTED (EFI_ERROR_BIT | 21)
#define EFI_SECURITY_VIOLATION (EFI_ERROR_BIT | 26)

struct efi_guid {
	u32 a;
	u16 b, c;
	u8 d[8];
};

struct efi_table_header {
	u64 signature;
	u32 revision;
	u32 header_size;
	u32 crc32;
	u32 reserved;
};

#define EFI_SYSTEM_TABLE_SIGNATURE 0x5453595320494249ULL  /* "IBI SYST" */
#define EFI_RUNTIME_SERVICES_SIGNATURE 0x56524553544e5552ULL /* "RUNTSERV" */
#define EFI_BOOT_SERVICES_SIGNATURE 0x56524553544f4f42ULL /* "BOOTSERV" */

struct efi_system_table {
	struct efi_table_header hdr;
	u64 firmware_vendor; /* CHAR16 * */
	u32 firmware_revision;
	u32 pad;
	u64 con_in_handle, con_in, con_out_handle, con_out, stderr_handle,
		std_err;
	u64 runtime_services;
	u64 boot_services;
	u64 nr_tables;
	u64 tables;
};

/* The services in table order; the index names a service in logs. */
enum efi_rt_service {
	RT_GET_TIME,
	RT_SET_TIME,
	RT_GET_WAKEUP_TIME,
	RT_SET_WAKEUP_TIME,
	RT_SET_VIRTUAL_ADDRESS_MAP,
	RT_CONVERT_POINTER,
	RT_GET_VARIABLE,
	RT_GET_NEXT_VARIABLE_NAME,
	RT_SET_VARIABLE,
	RT_GET_NEXT_HIGH_MONO_COUNT,
	RT_RESET_SYSTEM,
	RT_UPDATE_CAPSULE,
	RT_QUERY_CAPSULE_CAPABILITIES,
	RT_QUERY_VARIABLE_INFO,
	RT_NR_SERVICES
};

struct efi_runtime_services {
	struct efi_table_header hdr;
	u64 fn[RT_NR_SERVICES];
};

compile_assert(efi_rt_table_layout,
	       __builtin_offsetof(struct efi_runtime_services, fn) == 24 &&
		       sizeof(struct efi_runtime_services) == 24 + 14 * 8);
compile_assert(efi_system_table_layout,
	       __builtin_offsetof(struct efi_system_table, runtime_services) == 88);

/* Where the System Table holds RuntimeServices on firmware whose pointers
 * are @w bytes: after the header, FirmwareVendor, FirmwareRevision (padded
 * to a pointer) and six console fields (UEFI 2.10 4.3; IA32: 56). The
 * Runtime Services table's pointers follow its header, @w bytes each. */
#define EFI_ST_RUNTIME_SERVICES_OFFSET(w) (24 + 8 * (w))
compile_assert(efi_st_rt_offset,
	       EFI_ST_RUNTIME_SERVICES_OFFSET(8) ==
		       __builtin_offsetof(struct efi_system_table,
					  runtime_services));

struct efi_time {
	u16 year;
	u8 month, day, hour, minute, second, pad1;
	u32 nanosecond;
	s16 timezone;
	u8 daylight, pad2;
};

struct efi_time_caps {
	u32 resolution, accuracy;
	u8 sets_to_zero;
};

#define EFI_UNSPECIFIED_TIMEZONE 0x07ff

#define EFI_VARIABLE_NON_VOLATILE 0x1
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x2
#define EFI_VARIABLE_RUNTIME_ACCESS 0x4
/* The attributes of every variable vamap writes: non-volatile, seen at
 * runtime (and so, UEFI 2.10 8.2.3, at boot time too). */
#define NV_BS_RT (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | \
		  EFI_VARIABLE_RUNTIME_ACCESS)

/* UEFI 2.10, 4.6.2: EFI_RT_PROPERTIES_TABLE. */
struct efi_rt_properties {
	u16 version;
	u16 length;
	u32 supported;
};

/*
 * The EFI_RT_SUPPORTED_* bit for @svc (UEFI 2.10, 4.6.2). The bits do not
 * follow the table order: GetVariable is 0x10, SetVirtualAddressMap 0x80.
 * Returns 0 for an index that is no service.
 */
u32 efi_rt_supported_bit(unsigned int svc);

/* EFI_RESET_TYPE */
enum efi_reset_type { EFI_RESET_COLD, EFI_RESET_WARM, EFI_RESET_SHUTDOWN };

/* EFI_GLOBAL_VARIABLE (UEFI 2.10, 3.3), and vamap's own vendor GUID for
 * every variable it writes (include/results.h). */
extern const struct efi_guid efi_global_guid, efi_vamap_guid;

const char *efi_rt_service_name(unsigned int svc);
const char *efi_status_name(efi_status_t st);

/* "A", "A or B", "A, B or C": the names of @st[0..@n) in @buf (@len
 * bytes, cut if it must be); returns @buf. */
const char *efi_status_list(char *buf, size_t len, const efi_status_t *st,
			    unsigned int n);

/* A call asked a second time, after an answer @first it should not have
 * given (issue 27): "the same call again: got AGAIN" and ", the same
 * answer" or ": two answers to one question, the firmware's", then, where
 * both are known (not SMI_UNKNOWN, smi.h), the SMIs the calling CPU took
 * in each call ("; SMIs in the two calls: 1 and 1"), then, when the two
 * answers differ and @first is the status of @before (the runtime call
 * made just before the first, efi_state.h; NULL: none), that it is that
 * call's reply left over; in @buf (@len bytes); returns @buf. */
struct efi_answer {
	bool made;		/* false: no call yet */
	unsigned int svc;	/* enum efi_rt_service */
	efi_status_t st;
};

const char *efi_status_again(char *buf, size_t len, efi_status_t first,
			     u32 first_smis, const struct efi_answer *before,
			     efi_status_t again, u32 again_smis);

#endif
