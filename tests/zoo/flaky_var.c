// SPDX-License-Identifier: MIT
/*
 * Zoo: a variable call the firmware never answers, given the status of
 * the call before it, once; every later call is answered.
 *
 * Seen: on EDK2 2025's SMM variable builds under heavy host load (issue
 * 27), SetVariable(NV|BS) after ExitBootServices answered NOT_FOUND
 * instead of INVALID_PARAMETER, and GetNextVariableName BUFFER_TOO_SMALL
 * to a 1 KiB buffer, once; six reruns answered right. Each was the
 * status of the call just before it. Read in EDK2's source: the SMM
 * variable runtime driver returns the ReturnStatus field of its
 * communication buffer whatever its MM Communicate call returned, and
 * nothing clears that field between requests; a request the SMM core
 * never dispatches (Communicate refuses without an SMI while another CPU
 * is inside the SMM core) returns the last call's status, and a
 * GetNextVariableName so refused hands back the VariableNameSize it was
 * given. This driver does that to the first SetVariable(NV|BS, data) and
 * the first GetNextVariableName after SetVirtualAddressMap that follow a
 * variable call's error: the checks must fail, and their lines must say
 * that the same call asked again answered otherwise, and that the first
 * answer was the call before's. Spec: UEFI 2.10, 8.2.2, 8.2.3.
 */
#include "zoo.h"

static EFI_GET_VARIABLE orig_get;
static EFI_GET_NEXT_VARIABLE_NAME orig_next;
static EFI_SET_VARIABLE orig_set;
/* The status of the last GetVariable, SetVariable or GetNextVariableName
 * (QueryVariableInfo left to abi_xmm, whose finding names its driver). */
static EFI_STATUS last = EFI_SUCCESS;
static BOOLEAN set_done, next_done;

static EFI_STATUS answered(EFI_STATUS s)
{
	last = s;
	return s;
}

/* An error left from the call before, for a call made at runtime. */
static BOOLEAN leftover(BOOLEAN *done)
{
	if (!zoo.virtual_mode || *done || !EFI_ERROR(last))
		return FALSE;
	*done = TRUE;
	return TRUE;
}

static EFI_STATUS EFIAPI get_var(CHAR16 *name, EFI_GUID *guid, UINT32 *attr,
				 UINTN *size, VOID *data)
{
	return answered(orig_get(name, guid, attr, size, data));
}

static EFI_STATUS EFIAPI set_var(CHAR16 *name, EFI_GUID *guid, UINT32 attr,
				 UINTN size, VOID *data)
{
	if (size &&
	    attr == (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS) &&
	    leftover(&set_done))
		return last;
	return answered(orig_set(name, guid, attr, size, data));
}

static EFI_STATUS EFIAPI next_var(UINTN *size, CHAR16 *name, EFI_GUID *guid)
{
	/* *size stays what it was given, as EDK2's copy back of its
	 * request's own NameSize leaves it. */
	if (size && *size >= 512 && leftover(&next_done))
		return last;
	return answered(orig_next(size, name, guid));
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_RUNTIME_SERVICES *rt = st->RuntimeServices;
	EFI_STATUS s = zoo_init(image, st, "flaky_var: SetVariable and "
				"GetNextVariableName each leave one call "
				"unanswered, with the status of the call before",
				TRUE);

	if (EFI_ERROR(s))
		return s;
	zoo_hook((void **)&rt->GetVariable, (void *)get_var, (void **)&orig_get);
	zoo_hook((void **)&rt->SetVariable, (void *)set_var, (void **)&orig_set);
	zoo_hook((void **)&rt->GetNextVariableName, (void *)next_var,
		 (void **)&orig_next);
	return EFI_SUCCESS;
}
