#!/bin/bash
make install PREFIX="$PREFIX"
