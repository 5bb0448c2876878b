/*
 * cmd_string.c: string and bitmap commands.
 */
#include "replica/commands/cmd.h"
