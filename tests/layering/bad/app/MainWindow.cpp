#include "MainWindow.h"
#include "state/StatePane.h"
#include "demo/DemoHistory.h"
#include "support/Helper.h" // expect: app includes tests/support/Helper.h: nothing outside tests/ may include tests/
