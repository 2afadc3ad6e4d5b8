; ModuleID = 'main'
source_filename = "main"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; Function Attrs: uwtable
define internal i64 @main.quo(i64 %a, i64 %b) #0 {
entry:
  %a.addr = alloca i64, align 8
  %b.addr = alloca i64, align 8
  store i64 %a, ptr %a.addr, align 8
  store i64 %b, ptr %b.addr, align 8
  %a1 = load i64, ptr %a.addr, align 8
  %b2 = load i64, ptr %b.addr, align 8
  %div.byzero = icmp eq i64 %b2, 0
  br i1 %div.byzero, label %div.byzero.panic, label %div.byzero.ok, !prof !0

div.byzero.panic:                                 ; preds = %entry
  call void @gol_panicdivide()
  unreachable

div.byzero.ok:                                    ; preds = %entry
  %div.byminus1 = icmp eq i64 %b2, -1
  %div.divisor = select i1 %div.byminus1, i64 1, i64 %b2
  %quo.raw = sdiv i64 %a1, %div.divisor
  %quo.neg = sub i64 0, %a1
  %quo = select i1 %div.byminus1, i64 %quo.neg, i64 %quo.raw
  ret i64 %quo
}

; Function Attrs: uwtable
define internal i8 @main.rem(i8 %a, i8 %b) #0 {
entry:
  %a.addr = alloca i8, align 1
  %b.addr = alloca i8, align 1
  store i8 %a, ptr %a.addr, align 1
  store i8 %b, ptr %b.addr, align 1
  %a1 = load i8, ptr %a.addr, align 1
  %b2 = load i8, ptr %b.addr, align 1
  %div.byzero = icmp eq i8 %b2, 0
  br i1 %div.byzero, label %div.byzero.panic, label %div.byzero.ok, !prof !0

div.byzero.panic:                                 ; preds = %entry
  call void @gol_panicdivide()
  unreachable

div.byzero.ok:                                    ; preds = %entry
  %div.byminus1 = icmp eq i8 %b2, -1
  %div.divisor = select i1 %div.byminus1, i8 1, i8 %b2
  %rem = srem i8 %a1, %div.divisor
  ret i8 %rem
}

; Function Attrs: uwtable
define internal i32 @main.shl(i32 %x, i64 %n) #0 {
entry:
  %x.addr = alloca i32, align 4
  %n.addr = alloca i64, align 8
  store i32 %x, ptr %x.addr, align 4
  store i64 %n, ptr %n.addr, align 8
  %x1 = load i32, ptr %x.addr, align 4
  %n2 = load i64, ptr %n.addr, align 8
  %shift.negative = icmp slt i64 %n2, 0
  br i1 %shift.negative, label %shift.negative.panic, label %shift.negative.ok, !prof !0

shift.negative.panic:                             ; preds = %entry
  call void @gol_panicshift()
  unreachable

shift.negative.ok:                                ; preds = %entry
  %shift.toobig = icmp uge i64 %n2, 32
  %shift.count = trunc i64 %n2 to i32
  %shl.raw = shl i32 %x1, %shift.count
  %shl = select i1 %shift.toobig, i32 0, i32 %shl.raw
  ret i32 %shl
}

; Function Attrs: uwtable
define void @main.main() #0 {
entry:
  %quo = call i64 @main.quo(i64 7, i64 2)
  %rem = call i8 @main.rem(i8 7, i8 2)
  %shl = call i32 @main.shl(i32 1, i64 3)
  call void @gol_printlock()
  call void @gol_printint(i64 %quo)
  call void @gol_printsp()
  %print.i64 = sext i8 %rem to i64
  call void @gol_printint(i64 %print.i64)
  call void @gol_printsp()
  %print.i641 = zext i32 %shl to i64
  call void @gol_printuint(i64 %print.i641)
  call void @gol_printnl()
  call void @gol_printunlock()
  ret void
}

; Function Attrs: cold noreturn
declare void @gol_panicdivide() #1

; Function Attrs: cold noreturn
declare void @gol_panicshift() #1

declare void @gol_printlock()

declare void @gol_printint(i64)

declare void @gol_printsp()

declare void @gol_printuint(i64)

declare void @gol_printnl()

declare void @gol_printunlock()

; Function Attrs: uwtable
define void @main.init() #0 {
entry:
  ret void
}

attributes #0 = { uwtable "frame-pointer"="all" "target-cpu"="x86-64" }
attributes #1 = { cold noreturn }

!0 = !{!"branch_weights", i32 1, i32 1048575}
