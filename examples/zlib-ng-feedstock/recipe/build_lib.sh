#!/bin/bash
set -ex
cmake -G Ninja -DCMAKE_INSTALL_PREFIX=$PREFIX -S . -B build
cmake --build build --target install
