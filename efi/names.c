// SPDX-License-Identifier: MIT
/* Names of runtime services and status codes, for the log. */
#include "efi_rt.h"
#include "printf.h"
#include "smi.h"
#include "vamap_guid.h"

const struct efi_guid efi_global_guid = {
	0x8be4df61, 0x93ca, 0x11d2, { 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c } };
const struct efi_guid efi_vamap_guid = VAMAP_VENDOR_GUID_INIT;

const char *efi_rt_service_name(unsigned int svc)
{
	static const char *const names[RT_NR_SERVICES] = {
		"GetTime", "SetTime", "GetWakeupTime", "SetWakeupTime",
		"SetVirtualAddressMap", "ConvertPointer", "GetVariable",
		"GetNextVariableName", "SetVariable",
		"GetNextHighMonotonicCount", "ResetSystem", "UpdateCapsule",
		"QueryCapsuleCapabilities", "QueryVariableInfo",
	};

	return svc < RT_NR_SERVICES ? names[svc] : "?";
}

u32 efi_rt_supported_bit(unsigned int svc)
{
	static const u16 bits[RT_NR_SERVICES] = {
		[RT_GET_TIME] = 0x0001,
		[RT_SET_TIME] = 0x0002,
		[RT_GET_WAKEUP_TIME] = 0x0004,
		[RT_SET_WAKEUP_TIME] = 0x0008,
		[RT_GET_VARIABLE] = 0x0010,
		[RT_GET_NEXT_VARIABLE_NAME] = 0x0020,
		[RT_SET_VARIABLE] = 0x0040,
		[RT_SET_VIRTUAL_ADDRESS_MAP] = 0x0080,
		[RT_CONVERT_POINTER] = 0x0100,
		[RT_GET_NEXT_HIGH_MONO_COUNT] = 0x0200,
		[RT_RESET_SYSTEM] = 0x0400,
		[RT_UPDATE_CAPSULE] = 0x0800,
		[RT_QUERY_CAPSULE_CAPABILITIES] = 0x1000,
		[RT_QUERY_VARIABLE_INFO] = 0x2000,
	};

	return svc < RT_NR_SERVICES ? bits[svc] : 0;
}

const char *efi_status_name(efi_status_t st)
{
	static const char *const errors[] = {
		"SUCCESS", "LOAD_ERROR", "INVALID_PARAMETER", "UNSUPPORTED",
		"BAD_BUFFER_SIZE", "BUFFER_TOO_SMALL", "NOT_READY",
		"DEVICE_ERROR", "WRITE_PROTECTED", "OUT_OF_RESOURCES",
		"VOLUME_CORRUPTED", "VOLUME_FULL", "NO_MEDIA", "MEDIA_CHANGED",
		"NOT_FOUND", "ACCESS_DENIED", "NO_RESPONSE", "NO_MAPPING",
		"TIMEOUT", "NOT_STARTED", "ALREADY_STARTED", "ABORTED",
		"ICMP_ERROR", "TFTP_ERROR", "PROTOCOL_ERROR",
		"INCOMPATIBLE_VERSION", "SECURITY_VIOLATION", "CRC_ERROR",
	};
	u64 code = st & ~EFI_ERROR_BIT;

	if (st == EFI_SUCCESS)
		return "SUCCESS";
	if ((st & EFI_ERROR_BIT) && code < ARRAY_SIZE(errors))
		return errors[code];
	return (st & EFI_ERROR_BIT) ? "error" : "warning";
}

const char *efi_status_list(char *buf, size_t len, const efi_status_t *st,
			    unsigned int n)
{
	size_t k = 0;
	unsigned int i;

	if (len)
		buf[0] = 0;
	for (i = 0; i < n && k < len; i++)
		k += (size_t)ksnprintf(buf + k, len - k, "%s%s",
				       i == 0 ? "" : i + 1 == n ? " or " : ", ",
				       efi_status_name(st[i]));
	return buf;
}

const char *efi_status_again(char *buf, size_t len, efi_status_t first,
			     u32 first_smis, const struct efi_answer *before,
			     efi_status_t again, u32 again_smis)
{
	int n = ksnprintf(buf, len, "the same call again: got %s%s",
			  efi_status_name(again), again == first
			  ? ", the same answer"
			  : ": two answers to one question, the firmware's");

	if (first_smis != SMI_UNKNOWN && again_smis != SMI_UNKNOWN &&
	    n >= 0 && (size_t)n < len)
		n += ksnprintf(buf + n, len - (size_t)n, "; SMIs in the two "
			       "calls: %u and %u", first_smis, again_smis);
	/* The first answer the call before's: a reply the firmware left
	 * from that call, not one to this (efi_state.h). */
	if (again != first && before && before->made && before->st == first &&
	    n >= 0 && (size_t)n < len)
		ksnprintf(buf + n, len - (size_t)n, "; the first, %s, is what "
			  "the call before it answered (%s): a reply left over "
			  "from that call, this one unanswered",
			  efi_status_name(first), efi_rt_service_name(before->svc));
	return buf;
}
