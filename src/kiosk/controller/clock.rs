//! The clock guard on the Today screen: while the store found the clock
//! behind its latest time at start-up (`crate::store::clock_guard`), the
//! signed-in staff member sees the device's time to compare with a watch and
//! confirms it with one button (audited as `clock_confirm`).

use super::{KioskController, Screen};
use crate::store::clock_guard::display_time;

impl KioskController {
    /// The question shown on Today while check-ins are stopped by the clock
    /// guard; empty otherwise.
    pub fn clock_question(&self) -> String {
        match (self.screen, self.store.clock_behind()) {
            (Screen::StaffToday, Some(b)) => format!(
                "時計が戻っているため、受付を止めています（最後の記録 {}）。端末の時計は {} です。腕時計などと合っていれば「時計は正しい」を押してください。",
                display_time(&b.latest_seen),
                display_time(&self.store.clock().now())
            ),
            _ => String::new(),
        }
    }

    /// 「時計は正しい」 on Today: the signed-in staff member confirms the
    /// device's time; check-ins are recorded again.
    pub fn clock_confirm(&mut self) {
        if self.screen != Screen::StaffToday || self.store.clock_behind().is_none() {
            return;
        }
        let Some(staff) = self.staff.clone() else {
            return;
        };
        let now = self.store.clock().now().naive_local();
        self.staff_message = match self.store.confirm_clock(&staff, now) {
            Ok(()) => "時計を確かめました。受付をまた記録します。".into(),
            Err(e) => e.to_string(),
        };
    }
}
