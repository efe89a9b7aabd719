/*
 * processprng.c: a test-only bcryptprimitives.dll for Wine 8.0, which lacks
 * it. Go 1.24 and later take every random byte on Windows from ProcessPrng
 * in bcryptprimitives.dll (Windows 10 and later) and stop at start-up
 * ("fatal error: bcryptprimitives.dll not found") without it. This exports
 * ProcessPrng over RtlGenRandom (advapi32's SystemFunction036), which Wine
 * has. scripts/test-wine.sh builds it with MinGW and puts it into the
 * throwaway prefix's system32; it is never shipped.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

/* ProcessPrng fills data with n random bytes. Like Windows' own it always
 * returns TRUE: it may not fail, so a failure of the generator ends the
 * process rather than handing out bytes that are not random. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T n)
{
	while (n > 0) {
		ULONG chunk = n > 0x40000000 ? 0x40000000 : (ULONG)n;
		if (!SystemFunction036(data, chunk))
			ExitProcess(3);
		data += chunk;
		n -= chunk;
	}
	return TRUE;
}
