#include <cairo/cairo.h>
#include <cairo/cairo-svg.h>
#include <cairo/cairo-pdf.h>
// libpng, which Cairo itself writes PNGs with; Plot uses its simplified write API directly (PNGEncoder).
#include <png.h>
