/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RATECTL_UTIL_H
#define RATECTL_UTIL_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif
