#pragma once
#include "timeline/TimelineIndex.h" // expect: wire (floor 2) includes timeline/TimelineIndex.h (timeline, floor 2): two folders on one floor
