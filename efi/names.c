// SPDX-License-Identifier: MIT
/* Names of runtime services and status codes, for the log. */
#include "efi_rt.h"

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
