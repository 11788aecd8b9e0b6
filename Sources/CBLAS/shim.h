// The one C seam to OpenBLAS: CBLAS for the matrix kernels, and the LAPACK
// routines we need (dgeev_ for eigenvalues, dgesdd_ for PCA, dgesv_ for fixed points), which Debian's
// libopenblas exports itself, so no separate LAPACKE package is needed.
#include <cblas.h>

// LAPACK dgeev (Fortran calling convention: every argument by pointer, column-major).
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info);

// LAPACK dgesdd (singular value decomposition by divide and conquer; column-major).
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s,
             double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork,
             int *iwork, int *info);

// LAPACK dgesv (A·X = B by LU with partial pivoting; column-major, A and B overwritten).
void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b, const int *ldb,
            int *info);
