#pragma once
#include "model/Types.h"
#include "client/StreamsClient.h" // expect: model (floor 1) includes client/StreamsClient.h (client, floor 4): an include may only go down a floor
#include "state/StatePane.h" // expect: core includes views/state/StatePane.h: core may include only core/
#include "support/Helper.h" // expect: nothing outside tests/ may include tests/
#include "base/Jobs.h" // expect: model (floor 1) includes base/Jobs.h (base, floor 1.5): an include may only go down a floor
#include "../client/StreamsClient.h" // expect: "../client/StreamsClient.h" is relative to its own file: write "client/StreamsClient.h"
/* Commented out, not checked:
#include "fold/Nowhere.h"
*/
