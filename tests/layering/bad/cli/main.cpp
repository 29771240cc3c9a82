#include "client/StreamsClient.h"
#include "demo/DemoHistory.h" // expect: cli includes sandbox/demo/DemoHistory.h: cli may include only cli/ and core/
