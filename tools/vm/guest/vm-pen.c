/*
 * vm-pen: a pen tablet for the emulated terminal, made with the kernel's uinput module.
 *
 * Creates an evdev device that looks like an EMR signing pen (ABS_X/ABS_Y/ABS_PRESSURE,
 * BTN_TOUCH, BTN_TOOL_PEN, INPUT_PROP_DIRECT), so the firmware's real evdev driver finds it by
 * name and reads real input_event records from /dev/input/eventN. Then it waits for commands on
 * a FIFO and plays them as pen samples at a hand's pace:
 *
 *   stroke X,Y X,Y ...   pen in, down at the first point, through the others, up, out
 *   quit
 *
 * Points are screen pixels; they are scaled to the device's own ABS range (--max-x/--max-y), so
 * the firmware's calibration (device range -> screen) is exercised as on the real panel.
 *
 *   vm-pen --name "Appliance VM Pen" --screen 1280x800 --max-x 32767 --max-y 32767 --fifo /run/vm-pen
 *
 * Built static for arm64 by tools/vm/build-image.sh (aarch64-linux-gnu-gcc -static).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PRESSURE_MAX 4095
#define STEP_PIXELS 3.0
#define SAMPLE_MICROSECONDS 5000

static int fd = -1;
static int screen_w = 1280, screen_h = 800, max_x = 32767, max_y = 32767;

static void die(const char *what) {
    fprintf(stderr, "vm-pen: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void emit(int type, int code, int value) {
    struct input_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.code = code;
    ev.value = value;
    if (write(fd, &ev, sizeof ev) != sizeof ev) die("write input_event");
}

static void ioctl_or_die(unsigned long request, long arg, const char *what) {
    if (ioctl(fd, request, arg) < 0) die(what);
}

static void abs_setup(int code, int max) {
    struct uinput_abs_setup abs;
    memset(&abs, 0, sizeof abs);
    abs.code = code;
    abs.absinfo.minimum = 0;
    abs.absinfo.maximum = max;
    abs.absinfo.resolution = code == ABS_PRESSURE ? 0 : 100; /* units per mm, as a tablet reports */
    if (ioctl(fd, UI_ABS_SETUP, &abs) < 0) die("UI_ABS_SETUP");
}

static void create_device(const char *name) {
    fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK);
    if (fd < 0) die("open /dev/uinput");
    ioctl_or_die(UI_SET_EVBIT, EV_SYN, "UI_SET_EVBIT EV_SYN");
    ioctl_or_die(UI_SET_EVBIT, EV_KEY, "UI_SET_EVBIT EV_KEY");
    ioctl_or_die(UI_SET_EVBIT, EV_ABS, "UI_SET_EVBIT EV_ABS");
    ioctl_or_die(UI_SET_KEYBIT, BTN_TOUCH, "UI_SET_KEYBIT BTN_TOUCH");
    ioctl_or_die(UI_SET_KEYBIT, BTN_TOOL_PEN, "UI_SET_KEYBIT BTN_TOOL_PEN");
    ioctl_or_die(UI_SET_KEYBIT, BTN_STYLUS, "UI_SET_KEYBIT BTN_STYLUS");
    ioctl_or_die(UI_SET_ABSBIT, ABS_X, "UI_SET_ABSBIT ABS_X");
    ioctl_or_die(UI_SET_ABSBIT, ABS_Y, "UI_SET_ABSBIT ABS_Y");
    ioctl_or_die(UI_SET_ABSBIT, ABS_PRESSURE, "UI_SET_ABSBIT ABS_PRESSURE");
    ioctl_or_die(UI_SET_PROPBIT, INPUT_PROP_DIRECT, "UI_SET_PROPBIT INPUT_PROP_DIRECT");
    abs_setup(ABS_X, max_x);
    abs_setup(ABS_Y, max_y);
    abs_setup(ABS_PRESSURE, PRESSURE_MAX);

    struct uinput_setup setup;
    memset(&setup, 0, sizeof setup);
    setup.id.bustype = BUS_VIRTUAL;
    setup.id.vendor = 0x056a; /* looks like the EMR pens the terminals carry */
    setup.id.product = 0x5001;
    setup.id.version = 1;
    snprintf(setup.name, UINPUT_MAX_NAME_SIZE, "%s", name);
    if (ioctl(fd, UI_DEV_SETUP, &setup) < 0) die("UI_DEV_SETUP");
    if (ioctl(fd, UI_DEV_CREATE) < 0) die("UI_DEV_CREATE");
}

static void sample(double px, double py, int pressure) {
    int x = (int)lround(px * max_x / (screen_w - 1));
    int y = (int)lround(py * max_y / (screen_h - 1));
    if (x < 0) x = 0;
    if (x > max_x) x = max_x;
    if (y < 0) y = 0;
    if (y > max_y) y = max_y;
    emit(EV_ABS, ABS_X, x);
    emit(EV_ABS, ABS_Y, y);
    emit(EV_ABS, ABS_PRESSURE, pressure);
}

static void pace(void) { usleep(SAMPLE_MICROSECONDS); }

/* Plays one stroke through the points; pressure swells in the middle like a real signature. */
static int stroke(char *args) {
    double xs[512], ys[512];
    int n = 0;
    for (char *tok = strtok(args, " \t\r\n"); tok && n < 512; tok = strtok(NULL, " \t\r\n")) {
        if (sscanf(tok, "%lf,%lf", &xs[n], &ys[n]) != 2) {
            fprintf(stderr, "vm-pen: bad point '%s' (expected X,Y)\n", tok);
            return -1;
        }
        n++;
    }
    if (n < 1) {
        fprintf(stderr, "vm-pen: stroke needs at least one point\n");
        return -1;
    }
    double total = 0;
    for (int i = 1; i < n; i++) total += hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]);

    /* hover in, then touch down */
    sample(xs[0], ys[0], 0);
    emit(EV_KEY, BTN_TOOL_PEN, 1);
    emit(EV_SYN, SYN_REPORT, 0);
    pace();
    sample(xs[0], ys[0], 1200);
    emit(EV_KEY, BTN_TOUCH, 1);
    emit(EV_SYN, SYN_REPORT, 0);
    pace();

    double travelled = 0;
    for (int i = 1; i < n; i++) {
        double len = hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]);
        int steps = (int)ceil(len / STEP_PIXELS);
        if (steps < 1) steps = 1;
        for (int s = 1; s <= steps; s++) {
            double t = (double)s / steps;
            double done = total > 0 ? (travelled + len * t) / total : 1.0;
            int pressure = 1200 + (int)(2400 * sin(done * M_PI));
            sample(xs[i - 1] + (xs[i] - xs[i - 1]) * t, ys[i - 1] + (ys[i] - ys[i - 1]) * t, pressure);
            emit(EV_SYN, SYN_REPORT, 0);
            pace();
        }
        travelled += len;
    }

    /* lift, then leave proximity */
    emit(EV_ABS, ABS_PRESSURE, 0);
    emit(EV_KEY, BTN_TOUCH, 0);
    emit(EV_SYN, SYN_REPORT, 0);
    pace();
    emit(EV_KEY, BTN_TOOL_PEN, 0);
    emit(EV_SYN, SYN_REPORT, 0);
    return n;
}

int main(int argc, char **argv) {
    const char *name = "Appliance VM Pen", *fifo = "/run/vm-pen";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--name")) name = argv[i + 1];
        else if (!strcmp(argv[i], "--fifo")) fifo = argv[i + 1];
        else if (!strcmp(argv[i], "--max-x")) max_x = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--max-y")) max_y = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--screen")) {
            if (sscanf(argv[i + 1], "%dx%d", &screen_w, &screen_h) != 2) {
                fprintf(stderr, "vm-pen: --screen expects WxH\n");
                return 2;
            }
        } else {
            fprintf(stderr, "usage: vm-pen [--name N] [--screen WxH] [--max-x N] [--max-y N] [--fifo PATH]\n");
            return 2;
        }
    }
    if (max_x < 1 || max_y < 1 || screen_w < 2 || screen_h < 2) {
        fprintf(stderr, "vm-pen: ranges must be positive\n");
        return 2;
    }

    create_device(name);
    if (mkfifo(fifo, 0600) < 0 && errno != EEXIST) die("mkfifo");
    /* O_RDWR keeps a writer open ourselves, so the FIFO never reads EOF between commands. */
    FILE *in = fopen(fifo, "r+");
    if (!in) die("open fifo");
    printf("vm-pen: '%s' ready, %dx%d pixels -> 0..%d x 0..%d, commands on %s\n", name, screen_w, screen_h, max_x, max_y, fifo);
    fflush(stdout);

    char line[8192];
    while (fgets(line, sizeof line, in)) {
        if (!strncmp(line, "stroke", 6)) {
            int n = stroke(line + 6);
            if (n > 0) printf("vm-pen: stroke of %d points played\n", n);
        } else if (!strncmp(line, "quit", 4)) {
            break;
        } else if (line[0] != '\n') {
            fprintf(stderr, "vm-pen: unknown command: %s", line);
        }
        fflush(stdout);
    }
    ioctl(fd, UI_DEV_DESTROY);
    close(fd);
    return 0;
}
