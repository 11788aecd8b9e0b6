// NumpyFormat placeholder
