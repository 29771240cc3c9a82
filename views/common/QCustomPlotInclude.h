#pragma once

// qcustomplot.h uses the `signals`/`slots`/`emit` keywords, which our QT_NO_KEYWORDS build turns
// off: lend them to it for the include only.
#ifndef signals
#define signals Q_SIGNALS
#define CHRONOSCOPE_UNDEF_SIGNALS
#endif
#ifndef slots
#define slots Q_SLOTS
#define CHRONOSCOPE_UNDEF_SLOTS
#endif
#ifndef emit
#define emit Q_EMIT
#define CHRONOSCOPE_UNDEF_EMIT
#endif

// Its inline templates use `foreach`, which QT_NO_FOREACH removes: a range-for does the same job.
#ifndef foreach
#define foreach(variable, container) for (variable : container)
#define CHRONOSCOPE_UNDEF_FOREACH
#endif

#include <qcustomplot.h>

#ifdef CHRONOSCOPE_UNDEF_FOREACH
#undef foreach
#undef CHRONOSCOPE_UNDEF_FOREACH
#endif

#ifdef CHRONOSCOPE_UNDEF_SIGNALS
#undef signals
#undef CHRONOSCOPE_UNDEF_SIGNALS
#endif
#ifdef CHRONOSCOPE_UNDEF_SLOTS
#undef slots
#undef CHRONOSCOPE_UNDEF_SLOTS
#endif
#ifdef CHRONOSCOPE_UNDEF_EMIT
#undef emit
#undef CHRONOSCOPE_UNDEF_EMIT
#endif
