#pragma once
#include "timeline/TimelineIndex.h"
