#pragma once
#include "model/Types.h"
#include "client/StreamsClient.h" // expect: sandbox includes core/client/StreamsClient.h: sandbox may include only core's model/
