// The one C seam to OpenBLAS: CBLAS for the matrix kernels, and the single LAPACK
// routine we need (dgeev_, eigenvalues for the spectral radius), which Debian's
// libopenblas exports itself, so no separate LAPACKE package is needed.
#include <cblas.h>

// LAPACK dgeev (Fortran calling convention: every argument by pointer, column-major).
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info);
