# Staff and admin pages: the kitchen wall, the staff desk, sign-in, and the admin pages.

## Admin top bar

admin-nav-menu = Menu
admin-nav-accounts = Staff accounts
admin-nav-devices = Kitchen screens
admin-nav-apikeys = API keys
admin-nav-reports = Reports
admin-nav-staff = Staff

## Kitchen wall (big text: keep it short)

kitchen-title-all = Kitchen
kitchen-title-prep = Kitchen · prep
kitchen-title-oven = Kitchen · oven
kitchen-title-pass = Kitchen · pass
kitchen-urgency-warn = ▲ waiting
kitchen-urgency-late = ■ LATE
kitchen-all-day = All day
kitchen-nothing-to-make = Nothing to make

## Staff desk

staff-nav-kitchen = Kitchen
staff-nav-availability = Availability
staff-open-orders = Open orders
staff-no-open-orders = No open orders.
staff-recent-title = Collected in the last 30 minutes ({ $count }): recall
staff-collected-at = collected
staff-ordered-at = ordered
staff-recall = Recall
staff-now-status = #{ $id } is now { $status ->
    [received] received
    [preparing] preparing
    [baking] in the oven
    [ready] ready for pickup
    [collected] collected
    [cancelled] cancelled
   *[other] { $status }
}
staff-undo = Undo
staff-undo-stale = someone changed this order since: it cannot be undone
staff-cancel-open = Cancel…
staff-cancel-why = Why is order #{ $id } cancelled?
staff-cancel-submit = Cancel the order

## Sign-in

login-title = Staff sign-in
login-username = Username
login-password = Password
login-submit = Sign in
login-sign-out = Sign out

## Kitchen screens

devices-title = Kitchen screens
devices-name-label = Name of the new screen
devices-name-placeholder = Oven wall
devices-add = Add a screen
devices-pairing-link = Open this link once on the new screen (valid 30 minutes):
devices-added = added
devices-revoked = revoked
devices-revoke = Revoke
devices-pair-title = Pair this screen
devices-pair-explain = This screen will show the kitchen's orders and stay signed in until an admin revokes it.
devices-pair-submit = Pair this screen

## Staff accounts

accounts-title = Staff accounts
accounts-username = Username
accounts-password = Password
accounts-role = Role
accounts-role-staff = Staff
accounts-role-admin = Admin
accounts-role-name-staff = staff
accounts-role-name-admin = admin
accounts-add = Add account
accounts-since = since
accounts-disabled = disabled
accounts-disable = Disable

## API keys

apikeys-title = API keys
apikeys-intro-before = Outside systems place and follow orders through the
apikeys-intro-link = order API
apikeys-intro-after = with a key:
apikeys-name-label = Who uses the new key
apikeys-name-placeholder = Phone orders till
apikeys-create = Create a key
apikeys-scope-sold-out = It may also mark items sold out
apikeys-scope-orders = orders
apikeys-scope-orders-sold-out = orders, sold out
apikeys-copy-now = Copy this key now: it is not shown again.
apikeys-created = created
apikeys-revoked = revoked
apikeys-revoke = Revoke

## Menu and availability

menuadmin-nav-staff = Staff
menuadmin-nav-menu = Menu
menuadmin-title = Menu and availability
menuadmin-admin-only = Only an admin can change prices and names.
menuadmin-items = Items
menuadmin-item = Item
menuadmin-toppings = Extra toppings
menuadmin-topping = Topping
menuadmin-col-prices = Prices
menuadmin-col-available = Available
menuadmin-col-station = Station
menuadmin-station-of = Station for { $name }
station-oven = Oven line
station-pass = Pass
menuadmin-rename = Rename or describe { $name }
menuadmin-name = Name
menuadmin-description = Description
menuadmin-save-wording = Save wording
menuadmin-available = Available
menuadmin-sold-out = Sold out
menuadmin-mark-sold-out = Mark sold out
menuadmin-back-on-menu = Back on the menu
menuadmin-size-price = { $name } { $size } price
menuadmin-price = { $name } price
menuadmin-save = Save

devices-connected-title = Connected now
devices-connected-none = No screen is connected to the kitchen feed.
devices-connected-name = Screen
devices-connected-address = Address
devices-connected-since = Connected at
kitchen-more = +{ $count } more · page { $page }/{ $pages }
kitchen-stale = Not connected since { $time }: tickets may be out of date
kitchen-later = Later
kitchen-later-items = { $count ->
    [one] 1 item
   *[other] { $count } items
}
kitchen-later-more = +{ $count } more later
kitchen-announce = Order { $number }: { $items }
kitchen-announce-sized = { $count } { $size } { $name }
kitchen-announce-item = { $count } { $name }
devices-announce = Read new orders aloud
devices-bump-bar = Bump bar or foot pedal
devices-options-save = Save
devices-approve-title = Pair a screen by its code
devices-approve-explain = An unpaired kitchen screen shows an 8-character code. Type it here and name the screen: it signs itself in.
devices-approve-code = Code shown on the screen
devices-approve-submit = Pair the screen
devices-approved = { $name } is paired: it opens the kitchen by itself.
devices-link-title = Or pair with a one-time link
devices-screen-title = Pair this kitchen screen
devices-screen-code-label = Pairing code
devices-screen-how = An admin types this code on Kitchen screens (/admin/devices), or scans the QR code with their phone. This screen then opens the kitchen by itself.
devices-screen-staff = Staff: sign in instead
devices-approve-name = Name it
devices-connected-status = Status
devices-connected-up-to-date = Up to date
devices-connected-behind-for = Behind for { $age }
devices-connected-updates = This list updates itself every { $secs } seconds.
staff-filter-label = Show orders
staff-filter-all = All
staff-search-label = Find an order by number or name
staff-search-placeholder = Find: number or name
staff-none-match = No open order matches.
admin-pizzeria-title = Your pizzeria, as customers see it
admin-pizzeria-address = Address
admin-pizzeria-phone = Phone
admin-pizzeria-save = Save address and phone
admin-pizzeria-saved = Saved: order pages show it now.
report-title = Reports
report-explain = Today and the last { $days } days, counted in the pizzeria's time ({ $timezone }).
report-totals = Totals
report-today = Today
report-week = Last { $days } days
report-orders = Orders
report-takings = Takings
report-late = Late tickets
report-late-share = { $percent } %
report-late-count = ({ $late } of { $finished })
report-late-none = No ticket finished yet
report-cancelled = Cancelled
report-hours-title = Orders per hour
report-hours-today = Today
report-hours-average = Average day, last { $days } days
report-hour = { $hour }:00
report-hour-column = Hour
report-show-numbers = Show the numbers
report-stages-title = Average time in each stage, last { $days } days
report-stages-column = Average time
report-stage-received = Waiting for the kitchen
report-stage-preparing = Preparing
report-stage-baking = In the oven
report-stage-ready = Waiting for pickup
report-sellers-title = Best sellers, last { $days } days
report-sellers-column = Sold
report-nothing-yet = Nothing to show yet.
report-export = Download the last { $days } days' orders (CSV)
report-duration-s = { $s } s
report-duration-min-s = { $min } min { $s } s
report-duration-h-min = { $h } h { $min } min
report-csv-order = Order
report-csv-placed = Placed
report-csv-pickup = Pickup
report-csv-status = Status
report-csv-customer = Customer
report-csv-items = Items
report-csv-total = Total ({ $currency })
report-csv-ready = Ready
report-csv-collected = Collected
report-csv-minutes = Minutes to ready
report-csv-late = Late
report-csv-yes = yes
report-csv-no = no
admin-currency = Prices are in
admin-currency-save = Save the currency
admin-currency-explain = Changing it converts no price: each keeps its number.
admin-currency-saved = Saved: pages opened from now on show prices in { $code }.
