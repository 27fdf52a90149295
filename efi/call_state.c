// SPDX-License-Identifier: MIT
/* A firmware call's owner, as a table (include/efi_call_state.h). */
#include "efi_call_state.h"

#define R CALL_REFUSED

static const unsigned char next[CALL_NR_STATES][CALL_NR_EVENTS] = {
	/*               ENTER          RETURN     TRAP          RESUME         END         HALT */
	[CALL_IDLE]     = { CALL_FIRMWARE, R,         CALL_IDLE,    R,             R,          CALL_HALTED },
	[CALL_FIRMWARE] = { R,             CALL_IDLE, CALL_HANDLER, R,             R,          CALL_HALTED },
	[CALL_HANDLER]  = { CALL_FIRMWARE, R,         CALL_HANDLER, CALL_FIRMWARE, CALL_ENDED, CALL_HALTED },
	[CALL_ENDED]    = { R,             CALL_IDLE, CALL_ENDED,   R,             R,          CALL_HALTED },
	[CALL_HALTED]   = { R,             R,         CALL_HALTED,  CALL_HALTED,   R,          CALL_HALTED },
};

enum efi_call_state efi_call_next(enum efi_call_state s, enum efi_call_event ev)
{
	if ((unsigned int)s >= CALL_NR_STATES || (unsigned int)ev >= CALL_NR_EVENTS)
		return CALL_REFUSED;
	return (enum efi_call_state)next[s][ev];
}

const char *efi_call_state_name(enum efi_call_state s)
{
	static const char *const names[] = {
		"IDLE", "FIRMWARE", "HANDLER", "ENDED", "HALTED", "REFUSED",
	};

	return (unsigned int)s <= CALL_REFUSED ? names[s] : "?";
}
