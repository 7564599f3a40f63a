cmake -G Ninja -DCMAKE_INSTALL_PREFIX=%LIBRARY_PREFIX% -S . -B build
if errorlevel 1 exit 1
cmake --build build --target install
if errorlevel 1 exit 1
