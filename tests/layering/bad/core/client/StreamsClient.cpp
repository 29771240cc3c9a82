#include "client/StreamsClient.h"
#include "streams.grpc.pb.h"
#include "client/Missing.h" // expect: "client/Missing.h": no such file in any include root
