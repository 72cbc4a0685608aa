//! System call detection for `rt-safety` (x86-64 Linux): the watched runs happen on a thread
//! of their own, under a seccomp filter that traps (SIGSYS) every system call the thread makes,
//! except `rt_sigreturn` and those made from one `syscall` instruction of this module. The
//! SIGSYS handler notes the call when the thread is inside a watched `run` (the flag of
//! [`interpose`](super::interpose)), then makes it for the thread through that instruction and
//! hands back the result, so the plugin's behaviour does not change. The filter holds for the
//! thread's life only; the thread exists for the check.
//!
//! Not emulated (they fail with `ENOSYS`, and are counted): `clone`, `clone3`, `fork`, `vfork`,
//! `execve`, `execveat`, whose effects cannot be carried out from a signal handler. Calls that
//! the vDSO serves without entering the kernel (`clock_gettime`, `gettimeofday`) are not system
//! calls and are not seen.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};

/// System calls noted inside watched runs.
static COUNT: AtomicU64 = AtomicU64::new(0);
/// The numbers of the first few, for the message (`u64::MAX`: none yet).
static FIRST: [AtomicU64; 4] = [const { AtomicU64::new(u64::MAX) }; 4];

std::arch::global_asm!(
    ".pushsection .text.ladspa_validate_syscall,\"ax\",@progbits",
    ".globl ladspa_validate_syscall",
    ".hidden ladspa_validate_syscall",
    ".type ladspa_validate_syscall,@function",
    "ladspa_validate_syscall:",
    "mov rax, rdi",
    "mov rdi, rsi",
    "mov rsi, rdx",
    "mov rdx, rcx",
    "mov r10, r8",
    "mov r8, r9",
    "mov r9, [rsp + 8]",
    "syscall",
    ".globl ladspa_validate_after_syscall",
    ".hidden ladspa_validate_after_syscall",
    "ladspa_validate_after_syscall:",
    "ret",
    ".size ladspa_validate_syscall, . - ladspa_validate_syscall",
    ".popsection",
);

unsafe extern "C" {
    /// Makes system call `number` with six arguments; the only `syscall` instruction the
    /// filter lets through.
    fn ladspa_validate_syscall(number: i64, a: i64, b: i64, c: i64, d: i64, e: i64, f: i64) -> i64;
    /// The address right after that instruction (what seccomp reports as the instruction
    /// pointer of a call made there).
    static ladspa_validate_after_syscall: u8;
}

/// Notes (inside a watched run) and carries out the trapped system call.
extern "C" fn on_sigsys(_signal: c_int, _info: *mut libc::siginfo_t, context: *mut c_void) {
    // SAFETY: the kernel passes the interrupted thread's context to an SA_SIGINFO handler;
    // only its general registers are read and RAX written (the call's result).
    let registers = unsafe { &mut (*context.cast::<libc::ucontext_t>()).uc_mcontext.gregs };
    let number = registers[libc::REG_RAX as usize];
    if super::interpose::inside_run() {
        let index = COUNT.fetch_add(1, Ordering::Relaxed) as usize;
        if let Some(slot) = FIRST.get(index) {
            slot.store(number as u64, Ordering::Relaxed);
        }
    }
    let refused = [
        libc::SYS_clone,
        libc::SYS_clone3,
        libc::SYS_fork,
        libc::SYS_vfork,
        libc::SYS_execve,
        libc::SYS_execveat,
    ];
    registers[libc::REG_RAX as usize] = if refused.contains(&number) {
        -i64::from(libc::ENOSYS)
    } else {
        let r = |register: c_int| registers[register as usize];
        // SAFETY: the thread's own system call with its own arguments, made on its behalf.
        unsafe {
            ladspa_validate_syscall(
                number,
                r(libc::REG_RDI),
                r(libc::REG_RSI),
                r(libc::REG_RDX),
                r(libc::REG_R10),
                r(libc::REG_R8),
                r(libc::REG_R9),
            )
        }
    };
}

/// Installs the SIGSYS handler and this thread's filter.
fn watch_this_thread() -> Result<(), String> {
    // SAFETY: a zeroed `sigaction` is valid; the handler is an `extern "C"` function of the
    // SA_SIGINFO kind, and SIGSYS is only raised by the filter below.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigsys as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
        if libc::sigaction(libc::SIGSYS, &action, std::ptr::null_mut()) != 0 {
            return Err(format!("sigaction: {}", std::io::Error::last_os_error()));
        }
    }
    // Taking the address of the symbol defined by `global_asm!` above (no read).
    let ip = std::ptr::addr_of!(ladspa_validate_after_syscall) as u64;
    const NR: u32 = 0;
    const IP: u32 = 8;
    let load = |offset: u32| libc::sock_filter {
        code: (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16,
        jt: 0,
        jf: 0,
        k: offset,
    };
    let jump_eq = |value: u32, jt: u8, jf: u8| libc::sock_filter {
        code: (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
        jt,
        jf,
        k: value,
    };
    let ret = |value: u32| libc::sock_filter {
        code: (libc::BPF_RET | libc::BPF_K) as u16,
        jt: 0,
        jf: 0,
        k: value,
    };
    let mut program = [
        load(NR),
        jump_eq(libc::SYS_rt_sigreturn as u32, 0, 1),
        ret(libc::SECCOMP_RET_ALLOW),
        load(IP),
        jump_eq(ip as u32, 0, 3),
        load(IP + 4),
        jump_eq((ip >> 32) as u32, 0, 1),
        ret(libc::SECCOMP_RET_ALLOW),
        ret(libc::SECCOMP_RET_TRAP),
    ];
    let fprog = libc::sock_fprog {
        len: program.len() as u16,
        filter: program.as_mut_ptr(),
    };
    // SAFETY: `prctl` and `seccomp` with valid arguments; the filter applies to this thread
    // (no TSYNC flag) and only adds restrictions.
    unsafe {
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            return Err(format!(
                "prctl(NO_NEW_PRIVS): {}",
                std::io::Error::last_os_error()
            ));
        }
        if libc::syscall(libc::SYS_seccomp, libc::SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0 {
            return Err(format!("seccomp: {}", std::io::Error::last_os_error()));
        }
    }
    Ok(())
}

/// What was seen.
pub(crate) struct Seen {
    /// System calls inside watched runs.
    pub(crate) count: u64,
    /// The numbers of the first ones.
    pub(crate) first: Vec<u64>,
}

/// A value that another thread may use while this one waits for it.
struct Lent<T>(T);

// SAFETY: `on_watched_thread` joins the thread before it returns, and the lending thread does
// nothing meanwhile, so the value is used by one thread at a time.
unsafe impl<T> Send for Lent<T> {}

/// Runs `f` on a new thread whose system calls are watched; `Err` when the filter cannot be
/// installed (then nothing ran).
pub(crate) fn on_watched_thread<R: Send>(f: impl FnOnce() -> R) -> Result<(R, Seen), String> {
    COUNT.store(0, Ordering::Relaxed);
    let f = Lent(f);
    std::thread::scope(|scope| {
        scope
            .spawn(move || {
                let f = f;
                watch_this_thread()?;
                Ok(Lent((f.0)()))
            })
            .join()
            .map_err(|_| "the watched thread panicked".to_owned())?
    })
    .map(|Lent(result)| {
        let count = COUNT.load(Ordering::Relaxed);
        let first = FIRST
            .iter()
            .take(count as usize)
            .map(|slot| slot.load(Ordering::Relaxed))
            .collect();
        (result, Seen { count, first })
    })
}

/// A system call's name, for the common ones.
pub(crate) fn name(number: u64) -> String {
    let known: &[(i64, &str)] = &[
        (libc::SYS_read, "read"),
        (libc::SYS_write, "write"),
        (libc::SYS_openat, "openat"),
        (libc::SYS_open, "open"),
        (libc::SYS_close, "close"),
        (libc::SYS_mmap, "mmap"),
        (libc::SYS_munmap, "munmap"),
        (libc::SYS_mprotect, "mprotect"),
        (libc::SYS_brk, "brk"),
        (libc::SYS_futex, "futex"),
        (libc::SYS_nanosleep, "nanosleep"),
        (libc::SYS_clock_nanosleep, "clock_nanosleep"),
        (libc::SYS_sched_yield, "sched_yield"),
        (libc::SYS_getpid, "getpid"),
        (libc::SYS_getppid, "getppid"),
        (libc::SYS_gettid, "gettid"),
        (libc::SYS_madvise, "madvise"),
        (libc::SYS_clone, "clone"),
        (libc::SYS_clone3, "clone3"),
        (libc::SYS_fstat, "fstat"),
        (libc::SYS_lseek, "lseek"),
        (libc::SYS_ioctl, "ioctl"),
    ];
    known.iter().find(|(n, _)| *n as u64 == number).map_or_else(
        || format!("syscall {number}"),
        |(_, name)| (*name).to_owned(),
    )
}
