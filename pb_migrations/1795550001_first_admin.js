/// <reference path="../pb_data/types.d.ts" />
// Creates the first PocketBase admin from HVAC_ADMIN_EMAIL / HVAC_ADMIN_PASSWORD when no admin
// exists yet. Without them nothing happens and the Admin panel (/_/) asks for the first admin.
// (`pocketbase admin create` on a fresh data dir fails silently, so this is the reliable way.)
migrate((db) => {
  const email = $os.getenv("HVAC_ADMIN_EMAIL");
  const password = $os.getenv("HVAC_ADMIN_PASSWORD");
  if (!email || !password) return;
  const dao = new Dao(db);
  if (dao.totalAdmins() > 0) return;
  const admin = new Admin();
  admin.email = email;
  admin.setPassword(password);
  dao.saveAdmin(admin);
}, () => {});
