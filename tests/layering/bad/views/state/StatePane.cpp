#include "state/StatePane.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelineView.h" // expect: views/state (floor 2) includes timeline/TimelineView.h (views/timeline, floor 2): a feature folder
#include "ui_StatePane.h"
#include "StatePane.moc"
#include "timeline/Bins.h" // expect: "timeline/Bins.h" is ambiguous: it is core/timeline/Bins.h and views/timeline/Bins.h
