#include "Types.h" // expect: "Types.h" is written without its folder: write "model/Types.h"
