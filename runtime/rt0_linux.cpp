// rt0_linux.cpp: the C entry point of every Gol program. It lives in its own library,
// libgolrt_main.a, so that libgolrt.a never refers to the program's main.main/main.init
// and unit tests can link the runtime alone (they boot it with export_test.h instead).
//
// Link order for a program: program.o libgolrt_main.a libgolrt.a -lpthread
#include "abi.h"
#include "runtime.h"

int main(int argc, char** argv) { gol::rt::rt0_go(argc, argv, gol_main_init, gol_main_main); }
